#include "stats/stats_checker.h"

#include <map>
#include <string>

#include "stats/client_ops.h"

namespace faultline {
namespace {

struct Counts {
  std::int64_t count = 0, ok = 0, fail = 0, info = 0;
  void add(OpType outcome) {
    ++count;
    ok += outcome == OpType::ok;
    fail += outcome == OpType::fail;
    info += outcome == OpType::info;
  }
  nlohmann::json to_json() const {
    return {{"count", count}, {"ok_count", ok}, {"fail_count", fail}, {"info_count", info}};
  }
};

}  // namespace

CheckResult check_stats(const History& history) {
  Counts all;
  std::map<std::string, Counts> by_f;
  for (const ClientOpSpan& span : client_op_spans(history)) {
    all.add(span.outcome);
    by_f[history[span.invoke].f].add(span.outcome);
  }

  CheckResult result;
  result.details = all.to_json();
  result.details["by_f"] = nlohmann::json::object();
  nlohmann::json never_ok = nlohmann::json::array();
  for (const auto& [f, counts] : by_f) {
    result.details["by_f"][f] = counts.to_json();
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
