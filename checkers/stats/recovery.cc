#include "recovery.h"

#include <cstdio>

#include "availability.h"
#include "client_ops.h"

namespace faultline {

CheckResult check_recovery(const History& history) {
  const std::vector<Op>& ops = history.ops();
  const FaultsRepaired repaired = faults_repaired(history);
  if (!repaired.any) return {Verdict::valid, {{"reason", "no faults: nothing to recover from"}}};
  if (!repaired.last_repair_ns)
    return {Verdict::unknown, {{"reason", "a fault was still in place when the history ends: nothing to recover from yet"}}};
  const std::optional<std::int64_t> heal_time_ns = repaired.last_repair_ns;

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
  nlohmann::json details = {{"heal_time_ns", *heal_time_ns}, {"after_heal", counts_json(after)}};
  if (after.count == 0) {
    details["reason"] = "no operation was invoked after the last fault was repaired";
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
