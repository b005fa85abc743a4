// Base64 with the standard alphabet and '=' padding (RFC 4648 section 4): how etcd's v3 JSON
// gateway carries keys and values, which are bytes. The one copy in faultline; the benchmark
// (targets/bundled/bench/kv_api.cc) uses it too.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace faultline {

std::string base64_encode(std::string_view bytes);

// The bytes `text` encodes, or nullopt when it is not padded standard base64: a length that is
// not a multiple of 4, a character outside the alphabet, or '=' anywhere but the last one or two
// places. Strict on purpose: etcd always pads, so anything else is not an answer from etcd.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace faultline
