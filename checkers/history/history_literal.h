// For tests: a History from literal JSON Lines (or EDN, given the format), failing the test (with the reader's error)
// when the text is not a valid history.
#pragma once

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "history/history_format.h"

namespace faultline::test {

inline History history_from_jsonl(const std::string& text, HistoryFormat format = HistoryFormat::jsonl) {
  std::istringstream in(text);
  auto history = read_history(in, "literal", format);
  if (!history) FAIL(history.error().to_string());
  return std::move(*history);
}

}  // namespace faultline::test
