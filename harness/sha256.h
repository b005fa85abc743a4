// SHA-256 (FIPS 180-4) of a byte string, as lowercase hex: what `sha256sum FILE` prints, so that
// the hash a suite shard records of its suite file can be checked with the usual tool.
#pragma once

#include <string>
#include <string_view>

namespace faultline {

std::string sha256_hex(std::string_view bytes);

}  // namespace faultline
