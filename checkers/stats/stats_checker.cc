#include "stats/stats_checker.h"

#include <map>
#include <string>

#include "stats/client_ops.h"

namespace faultline {
CheckResult check_stats(const History& history) {
  OutcomeCounts all;
  std::map<std::string, OutcomeCounts> by_f;
  for (const ClientOpSpan& span : client_op_spans(history)) {
    all.add(span.outcome);
    by_f[history[span.invoke].f].add(span.outcome);
  }

  CheckResult result;
  result.details = counts_json(all);
  result.details["by_f"] = nlohmann::json::object();
  nlohmann::json never_ok = nlohmann::json::array();
  for (const auto& [f, counts] : by_f) {
    result.details["by_f"][f] = counts_json(counts);
    if (counts.ok == 0) never_ok.push_back(f);
  }
  if (all.count == 0) {
    result.verdict = Verdict::unknown;
    result.details["reason"] = "the history has no client operations";
  } else if (!never_ok.empty()) {
    result.verdict = Verdict::unknown;
    result.details["reason"] =
        "some functions never succeeded, so the test may have exercised nothing: " + never_ok.dump();
    result.details["never_ok"] = std::move(never_ok);
  }
  return result;
}

}  // namespace faultline
