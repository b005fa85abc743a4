// For the models' tests: the linearizability checker on a literal history, with the model
// named, so that a test states a history and the verdict and counterexample it must get.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "history/history_literal.h"
#include "linearizability/linearizability.h"

namespace faultline::test {

inline CheckResult check_model(const std::string& model, const std::string& text, nlohmann::json initial = nullptr,
                               HistoryFormat format = HistoryFormat::jsonl) {
  LinearizabilityOptions options;
  options.model = find_model(model);
  REQUIRE(options.model != nullptr);
  options.initial = std::move(initial);
  options.conventions.nil_read_matches_any = format == HistoryFormat::edn;  // as `faultline check` does
  auto result = check_linearizability(history_from_jsonl(text, format), options);
  if (!result) FAIL(result.error().to_string());
  return *result;
}

// The input error a history gets, or "" when it has none.
inline std::string model_input_error(const std::string& model, const std::string& text, nlohmann::json initial = nullptr) {
  LinearizabilityOptions options;
  options.model = find_model(model);
  options.initial = std::move(initial);
  auto result = check_linearizability(history_from_jsonl(text), options);
  return result ? std::string() : result.error().to_string();
}

}  // namespace faultline::test
