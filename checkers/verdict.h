// What a checker says (STYLE principles 4 and 6): a verdict plus JSON details that a report
// can draw. Unknown is a first-class answer; verdicts merge as invalid > unknown > valid.
#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace faultline {

enum class Verdict { valid, unknown, invalid };

// invalid > unknown > valid.
Verdict merge(Verdict a, Verdict b);

std::string_view to_string(Verdict verdict);
// As JSON: true, false, or "unknown".
nlohmann::json verdict_to_json(Verdict verdict);

struct CheckResult {
  Verdict verdict = Verdict::valid;
  nlohmann::json details = nlohmann::json::object();
};

}  // namespace faultline
