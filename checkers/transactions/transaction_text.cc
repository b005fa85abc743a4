#include "transactions/transaction_text.h"

#include <map>

namespace faultline::transactions {
namespace {

std::string joined(const auto& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace

std::string describe_transaction_result(const TransactionCheckResult& result) {
  std::string text;
  if (result.error) return "  not checked (" + result.error->type + "): " + result.error->message + "\n";
  if (result.anomaly_types.empty()) return text;
  text += "  anomalies: " + joined(result.anomaly_types) + "\n";
  if (!result.not_models.empty()) {
    text += "  not " + joined(result.not_models);
    if (!result.also_not.empty()) text += "; also not " + joined(result.also_not);
    text += "\n";
  }
  std::map<std::string, std::size_t> shown;
  for (const ExplainedCycle& explained : result.cycles) {
    const std::size_t count = ++shown[explained.cycle.type];
    if (count > cycles_shown_per_type_max) continue;
    text += "  " + explained.cycle.type + ":";
    for (std::size_t i = 0; i < explained.ops.size(); ++i)
      text += (i == 0 ? " " : ", ") + std::string("T") + std::to_string(i + 1) + " = op " + std::to_string(explained.ops[i]);
    text += "\n";
    for (const std::string& sentence : explained.explanations) text += "    " + sentence + "\n";
  }
  for (const auto& [type, count] : shown)
    if (count > cycles_shown_per_type_max)
      text += "  (" + std::to_string(count - cycles_shown_per_type_max) + " more " + type + " cycles in --json)\n";
  for (const auto& [type, cases] : result.anomalies) {
    text += "  " + type + ": " + std::to_string(cases.size()) + (cases.size() == 1 ? " case" : " cases");
    for (std::size_t i = 0; i < cases.size() && i < cases_shown_per_type_max; ++i) text += (i == 0 ? ", e.g. " : "; ") + cases[i].dump();
    text += "\n";
  }
  return text;
}

}  // namespace faultline::transactions
