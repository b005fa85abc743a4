#include "convergence.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string>

#include "client_ops.h"

namespace faultline {
namespace {

using nlohmann::json;

struct KeyReads {
  std::int64_t last_other_end_ns = -1;  // the latest completion of a non-final op on the key
  std::vector<std::size_t> reads;       // ok reads with a node, as candidates
  std::vector<json> unknown_writes;     // values of writes and cas whose outcome is unknown
};

std::string key_of(const Op& op) { return op.key.value_or(""); }

// The value an unknown write or cas would have left in place.
json written_value(const Op& invoke) {
  if (invoke.f == "cas" && invoke.value.is_array() && invoke.value.size() == 2) return invoke.value[1];
  return invoke.value;
}

}  // namespace

std::optional<CheckResult> check_convergence(const History& history) {
  const std::vector<Op>& ops = history.ops();
  bool any_node = false;
  for (const Op& op : ops) any_node = any_node || (!op.is_nemesis() && op.node);
  if (!any_node) return std::nullopt;

  std::map<std::string, KeyReads> keys;
  for (const ClientOpSpan& span : client_op_spans(history)) {
    const Op& invoke = ops[span.invoke];
    KeyReads& key = keys[key_of(invoke)];
    if (invoke.f == "read" && span.outcome == OpType::ok && invoke.node) {
      key.reads.push_back(span.invoke);
      continue;
    }
    if (invoke.f == "read") continue;  // a read that failed changed nothing
    // A write that never completed is still in flight at the end: no read is final after it.
    const std::int64_t end_ns = span.complete ? ops[*span.complete].time_ns : std::numeric_limits<std::int64_t>::max();
    key.last_other_end_ns = std::max(key.last_other_end_ns, end_ns);
    if (span.outcome == OpType::info) key.unknown_writes.push_back(written_value(invoke));
  }

  std::int64_t compared = 0, agreeing = 0, unanswered = 0, explained = 0;
  json disagreeing = json::array();
  for (const auto& [key, reads] : keys) {
    std::map<std::string, std::size_t> last_read_by_node;  // each node's latest final read
    for (std::size_t at : reads.reads)
      if (ops[at].time_ns > reads.last_other_end_ns) last_read_by_node[*ops[at].node] = at;
    if (last_read_by_node.size() < 2) {
      ++unanswered;
      continue;
    }
    ++compared;
    std::set<std::string> values;
    for (const auto& [node, at] : last_read_by_node) values.insert(ops[static_cast<std::size_t>(history.partner(at))].value.dump());
    if (values.size() == 1) {
      ++agreeing;
      continue;
    }
    bool excused = false;
    for (const json& value : reads.unknown_writes) excused = excused || values.contains(value.dump());
    explained += excused;
    json entry = {{"key", key}, {"reads", json::array()}, {"explained_by_unknown_write", excused}};
    for (const auto& [node, at] : last_read_by_node) {
      const auto done = static_cast<std::size_t>(history.partner(at));
      entry["reads"].push_back({{"node", node}, {"value", ops[done].value}, {"index", ops[done].index}});
    }
    disagreeing.push_back(std::move(entry));
  }

  json details = {{"keys", compared}, {"agreeing", agreeing}, {"unanswered_keys", unanswered},
                  {"disagreeing", disagreeing}};
  const auto count = [](std::int64_t n, const char* what) { return std::to_string(n) + " " + what; };
  if (compared == 0) {
    details["reason"] = "no key was read at the end by two nodes: nothing to compare";
    return CheckResult{Verdict::unknown, details};
  }
  const std::int64_t unexplained = static_cast<std::int64_t>(disagreeing.size()) - explained;
  if (unexplained > 0) {
    const json& first = *std::find_if(disagreeing.begin(), disagreeing.end(),
                                      [](const json& d) { return !d["explained_by_unknown_write"].get<bool>(); });
    std::string example;
    for (const json& read : first["reads"])
      example += (example.empty() ? "" : ", ") + read["node"].get<std::string>() + " " + read["value"].dump();
    details["reason"] = count(unexplained, "keys") + " of " + std::to_string(compared) +
                        " read differently from different nodes after the recovery phase (key " +
                        first["key"].get<std::string>() + ": " + example + ")";
    return CheckResult{Verdict::invalid, details};
  }
  if (explained > 0) {
    details["reason"] = count(explained, "keys") + " read differently from different nodes, each time a value of a "
                        "write whose outcome is unknown: it may have been landing between the final reads";
    return CheckResult{Verdict::unknown, details};
  }
  details["reason"] = "every node read the same final value of each of the " + count(compared, "keys") +
                      (unanswered > 0 ? " (" + count(unanswered, "keys") + " not read by two nodes)" : "");
  return CheckResult{Verdict::valid, details};
}

}  // namespace faultline
