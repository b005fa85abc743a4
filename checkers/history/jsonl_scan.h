// A fast path for reading one JSON Lines op: a scanner for the flat objects faultline writes,
// which hands anything unusual (escapes, odd types, missing fields) back to the full JSON
// parser, so that errors are reported by one place (parse_jsonl_op) and valid lines read the
// same either way. It exists because a general JSON parser is most of the time spent
// checking a 10^6-op history.
#pragma once

#include <optional>
#include <string_view>

#include "op.h"

namespace faultline {

// The op on `line`, or nullopt when the line needs the full parser.
std::optional<Op> scan_jsonl_op(std::string_view line);

}  // namespace faultline
