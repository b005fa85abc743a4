// The anomaly diagram's data: which ops to draw, and the part each plays.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "report_data.h"
#include "report_limits.h"

namespace faultline {
namespace {

using nlohmann::json;

// When an op plays several parts, the most telling one is drawn.
int role_rank(const std::string& role) {
  static const std::vector<std::string> ranked = {"blocked", "setter", "overwriter", "linearized", "concurrent", "nearby"};
  return static_cast<int>(std::find(ranked.begin(), ranked.end(), role) - ranked.begin());
}

json view_op(const AnomalyOp& op, const std::string& role) {
  std::string label = op.input;
  if (op.completed() && op.f == "read") label = "read → " + op.value.dump(-1, ' ', false, json::error_handler_t::replace);
  return {{"process", op.process},
          {"invoke_index", op.invoke_index},
          {"start_ns", op.invoke_time_ns},
          {"end_ns", op.complete_time_ns ? json(*op.complete_time_ns) : json(nullptr)},
          {"label", label},
          {"type", op.type},
          {"role", role},
          {"order", nullptr}};
}

std::string short_value(const json& value) {
  if (value.is_null()) return "";
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

json build_anomaly_view(const History& history, const LinearizabilityAnomaly& anomaly) {
  std::map<std::int64_t, json> ops;  // by invoke_index
  auto add = [&](const AnomalyOp& summary, const std::string& role) {
    json op = view_op(summary, role);
    const std::int64_t index = op["invoke_index"].get<std::int64_t>();
    auto [it, inserted] = ops.emplace(index, op);
    if (!inserted && role_rank(role) < role_rank(it->second["role"].get<std::string>())) it->second["role"] = role;
  };
  add(anomaly.op, "blocked");
  if (anomaly.setter) add(*anomaly.setter, "setter");
  if (anomaly.overwriter) add(*anomaly.overwriter, "overwriter");
  const std::vector<AnomalyOp>& linearized = anomaly.linearized;
  const std::size_t shown = linearized.size();
  const std::size_t total = std::max(anomaly.linearized_count, shown);
  for (std::size_t i = 0; i < shown; ++i) {
    add(linearized[i], "linearized");
    const std::int64_t index = linearized[i].invoke_index;
    ops[index]["order"] = total - shown + i + 1;
    ops[index]["state_after"] = linearized[i].state_after.value_or("");
  }
  for (const AnomalyOp& op : anomaly.concurrent) add(op, "concurrent");

  // The window: the completed ops' intervals. An op that never completed may have begun long
  // before (it is concurrent with everything after it), so it does not widen the window.
  std::int64_t begin = INT64_MAX, end = INT64_MIN;
  for (const auto& [index, op] : ops) {
    if (op["end_ns"].is_null() && op["role"] != "blocked") continue;
    begin = std::min(begin, op["start_ns"].get<std::int64_t>());
    end = std::max(end, op["end_ns"].is_null() ? op["start_ns"].get<std::int64_t>() : op["end_ns"].get<std::int64_t>());
  }
  if (begin > end) begin = end = 0;
  const std::int64_t blocked_ns = anomaly.op.invoke_index >= 0 ? anomaly.op.invoke_time_ns : begin;

  // Nearby ops of the same key, inside the window, the closest to the blocked op first, until
  // the diagram is full.
  const std::string& key = anomaly.key;
  std::vector<std::pair<std::int64_t, std::size_t>> candidates;  // (distance in ns, position)
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& invocation = history[i];
    if (invocation.is_completion() || invocation.is_nemesis() || invocation.key.value_or("") != key) continue;
    const std::int64_t partner = history.partner(i);
    if (ops.contains(invocation.index) || invocation.time_ns > end || invocation.time_ns < begin || partner < 0) continue;
    candidates.push_back({std::abs(invocation.time_ns - blocked_ns), i});
  }
  std::sort(candidates.begin(), candidates.end());
  for (const auto& [distance, i] : candidates) {
    if (ops.size() >= anomaly_ops_drawn_max) break;
    const Op& invocation = history[i];
    const Op* completion = &history[static_cast<std::size_t>(history.partner(i))];
    std::string label = invocation.f + (invocation.value.is_null() ? "" : " " + short_value(invocation.value));
    if (completion && completion->type == OpType::ok && invocation.f == "read") label = "read → " + short_value(completion->value);
    ops.emplace(invocation.index, json{{"process", invocation.process},
                                       {"invoke_index", invocation.index},
                                       {"start_ns", invocation.time_ns},
                                       {"end_ns", completion ? json(completion->time_ns) : json(nullptr)},
                                       {"label", label},
                                       {"type", completion ? std::string(to_string(completion->type)) : "info"},
                                       {"role", "nearby"},
                                       {"order", nullptr}});
  }

  std::set<std::int64_t> processes;
  json drawn = json::array();
  for (auto& [index, op] : ops) {
    processes.insert(op["process"].is_number() ? op["process"].get<std::int64_t>() : nemesis_process);
    drawn.push_back(std::move(op));
  }
  json process_nodes = json::object();  // "3": "n1", where the history records the node
  for (const auto& [process, node] : nodes_of_processes(history))
    if (processes.contains(process)) process_nodes[std::to_string(process)] = node;
  if (end <= begin) end = begin + 1;
  return {{"key", key},
          {"method", method_name(anomaly.method)},
          {"explanation", anomaly.explanation},
          {"states", anomaly.states},
          {"time_begin_ns", begin},
          {"time_end_ns", end},
          {"processes", json(std::vector<std::int64_t>(processes.begin(), processes.end()))},
          {"process_nodes", std::move(process_nodes)},
          {"ops", std::move(drawn)}};
}

}  // namespace faultline
