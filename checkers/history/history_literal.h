// For tests: a History from literal JSON Lines, failing the test (with the reader's error)
// when the text is not a valid history.
#pragma once

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "history/history_format.h"

namespace faultline::test {

inline History history_from_jsonl(const std::string& text) {
  std::istringstream in(text);
  auto history = read_history(in, "literal", HistoryFormat::jsonl);
  if (!history) FAIL(history.error().to_string());
  return std::move(*history);
}

}  // namespace faultline::test
