#include "sim_check.h"

#include <cstdlib>

#include "history/history.h"
#include "linearizability/linearizability.h"

namespace faultline::sim {

SimCheck check_simulated_history(const std::vector<Op>& ops) {
  SimCheck check;
  auto history = History::build(ops, "simulation");
  if (!history) {
    check.verdict = Verdict::invalid;
    check.explanation = "malformed history: " + history.error().to_string();
    return check;
  }
  LinearizabilityOptions options;
  options.model = find_model("cas-register");
  options.initial = nullptr;
  options.threads = 1;
  auto result = check_linearizability(*history, options);
  if (!result) {
    check.verdict = Verdict::invalid;
    check.explanation = "checker input error: " + result.error().to_string();
    return check;
  }
  check.verdict = result->verdict;
  if (check.verdict != Verdict::valid) {
    check.explanation = result->details.dump(1) + "\nhistory:\n";
    for (const Op& op : history->ops()) check.explanation += describe(op) + "\n";
  }
  return check;
}

std::vector<std::uint64_t> simulation_seeds(std::uint64_t default_count) {
  if (const char* one = std::getenv("FAULTLINE_SIM_SEED")) return {std::strtoull(one, nullptr, 10)};
  std::uint64_t count = default_count;
  if (const char* many = std::getenv("FAULTLINE_SIM_SEEDS")) count = std::strtoull(many, nullptr, 10);
  std::vector<std::uint64_t> seeds;
  for (std::uint64_t s = 1; s <= count; ++s) seeds.push_back(s);
  return seeds;
}

}  // namespace faultline::sim
