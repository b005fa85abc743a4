// An error in a user's input (STYLE principle 9): a value, not an exception, naming the
// source, the line and the field that is wrong.
#pragma once

#include <cstdint>
#include <expected>
#include <string>

namespace faultline {

struct InputError {
  std::string source;   // file name, or "<stdin>"
  std::int64_t line = 0;  // 1-based; 0 when the error is not tied to a line
  std::string field;    // the field that is wrong, or empty
  std::string message;  // what is wrong, for people

  // "history.jsonl:12: field 'type': expected one of invoke, ok, fail, info"
  std::string to_string() const;
};

template <typename T>
using Expected = std::expected<T, InputError>;

}  // namespace faultline
