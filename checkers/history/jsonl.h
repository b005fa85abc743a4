// faultline's native history format: JSON Lines, one op per line, e.g.
//   {"index":4,"time":1200345,"process":2,"type":"ok","f":"cas","key":"k7","value":[1,3]}
// The nemesis is "process":"nemesis". Fields "index", "time", "key" and "value" may be absent
// (index: the position; time: 0; key: none; value: null), and so may "error" (a string: what
// went wrong with a fail or info op). Other fields are ignored.
// Reading and writing both stream: a history can be 10^7 lines.
#pragma once

#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "op_sink.h"

namespace faultline {

// Reads every line of `in`, handing each op to `sink`. Blank lines are skipped.
// Errors name `source`, the line and the field.
Expected<void> read_jsonl(std::istream& in, const std::string& source, const OpSink& sink);

// Parses one line. `line_number` and `source` only go into errors.
Expected<Op> parse_jsonl_op(std::string_view line, const std::string& source, std::int64_t line_number);

nlohmann::json op_to_json(const Op& op);

// Writes ops as JSON Lines. Does not flush: the caller decides when (the harness flushes
// every 100 ms; see harness/).
class JsonlWriter {
 public:
  explicit JsonlWriter(std::ostream& out) : out_(out) {}
  void write(const Op& op);

 private:
  std::ostream& out_;
  std::string buffer_;
};

}  // namespace faultline
