#include "recovery.h"

#include <cstdio>

#include "availability.h"
#include "client_ops.h"

namespace faultline {

CheckResult check_recovery(const History& history) {
  const std::vector<Op>& ops = history.ops();
  const FaultsRepaired repaired = faults_repaired(history);
  std::optional<std::int64_t> heal_time_ns = repaired.last_repair_ns;
  // A window still open at the end (an interrupted run, or a fault whose repair the window
  // table cannot match to it): measure from the last nemesis action, but never call it invalid.
  const bool maybe_still_faulty = repaired.any && !repaired.last_repair_ns;
  for (const Op& op : ops)
    if (maybe_still_faulty && op.is_nemesis() && op.is_completion()) heal_time_ns = op.time_ns;
  if (!heal_time_ns) return {Verdict::valid, {{"reason", "no faults: nothing to recover from"}}};

  OutcomeCounts after;
  std::optional<std::int64_t> first_ok_ns;
  for (const ClientOpSpan& span : client_op_spans(history)) {
    if (ops[span.invoke].time_ns <= *heal_time_ns) continue;
    after.add(span.outcome);
    if (span.outcome == OpType::ok && span.complete) {
      const std::int64_t done = ops[*span.complete].time_ns;
      if (!first_ok_ns || done < *first_ok_ns) first_ok_ns = done;
    }
  }
  nlohmann::json details = {{"heal_time_ns", *heal_time_ns}, {"after_heal", after.to_json(false)}};
  if (after.count == 0) {
    details["reason"] = "no operation was invoked after the last fault was repaired";
    return {Verdict::unknown, details};
  }
  if (!first_ok_ns && maybe_still_faulty) {
    details["reason"] = "a fault may still have been in place at the end, and nothing succeeded after the last nemesis action";
    return {Verdict::unknown, details};
  }
  if (!first_ok_ns) {
    details["reason"] = "none of the " + std::to_string(after.count) +
                        " operations invoked after the last fault was repaired succeeded: the system did not recover";
    return {Verdict::invalid, details};
  }
  const double first_ok_ms = static_cast<double>(*first_ok_ns - *heal_time_ns) / 1e6;
  details["first_ok_after_heal_ms"] = first_ok_ms;
  char text[160];
  std::snprintf(text, sizeof text, "served again %.0f ms after the last repair; %lld of %lld ops ok since", first_ok_ms,
                static_cast<long long>(after.ok), static_cast<long long>(after.count));
  details["reason"] = text;
  return {Verdict::valid, details};
}

}  // namespace faultline
