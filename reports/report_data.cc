// Step (a): the report's data. Pure: history, results and configuration in, JSON out.
#include "report_data.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

#include "cycle_view.h"
#include "fault_label.h"
#include "results/measurement_results.h"
#include "results/set_result.h"
#include "report_limits.h"
#include "run_fields.h"

namespace faultline {
namespace {

using nlohmann::json;

// Milliseconds, to the microsecond: enough for people, short in the page.
double ms_of(std::int64_t ns) { return std::round(static_cast<double>(ns) / 1000.0) / 1000.0; }

json configuration_rows(const json& test) {
  // Runs write the rows that apply to them (harness/run_configuration.h); older runs did not.
  if (test.is_object() && test.contains("configuration") && test["configuration"].is_array()) return test["configuration"];
  auto field = [&](const char* name) { return test_field_text(test, name); };
  auto quorum = [&](const char* name) { return quorum_text(test, name); };
  json rows = json::array();
  auto row = [&](const std::string& label, const std::string& value) { rows.push_back({label, value}); };
  row("target", field("target"));
  row("protocol", field("protocol"));
  row("nodes (N)", field("nodes"));
  row("read quorum (R)", quorum("read_quorum"));
  row("write quorum (W)", quorum("write_quorum"));
  row("read repair", field("read_repair"));
  row("timestamps", field("timestamps"));
  if (!test.value("bug", std::string()).empty()) row("planted bug", field("bug"));
  row("workload", field("workload"));
  row("keys", field("keys"));
  row("clients", field("clients"));
  row("rate (ops/s)", field("rate"));
  row("nemesis", nemesis_text(test));
  row("nemesis interval (s)", field("nemesis_interval_s"));
  row("nemesis targets", field("nemesis_targets"));
  row("seed", field("seed"));
  row("time limit (s)", field("time_limit_s"));
  return rows;
}

std::string op_text(const Op& invocation, const Op* completion) {
  std::string text = invocation.key ? "[" + *invocation.key + "] " : "";
  if (invocation.is_nemesis()) text += fault_label(invocation.f, invocation.value);  // in words
  else text += invocation.f;
  if (!invocation.value.is_null() && !invocation.is_nemesis()) text += " " + field_text(invocation.value);
  if (completion) {
    text += " → " + std::string(to_string(completion->type));
    if (!completion->value.is_null() && completion->value != invocation.value) text += " " + field_text(completion->value);
    if (completion->error) text += " (" + *completion->error + ")";
  } else {
    text += " → never completed";
  }
  if (text.size() > op_text_chars_max) text = text.substr(0, op_text_chars_max) + "…";
  return text;
}

int type_code(const Op* completion) {
  if (!completion) return 2;
  return completion->type == OpType::ok ? 0 : completion->type == OpType::fail ? 1 : 2;
}

json build_timeline(const History& history) {
  std::set<std::int64_t> process_set;
  for (const Op& op : history.ops()) process_set.insert(op.process);
  // Clients in order, the nemesis last.
  std::vector<std::int64_t> processes;
  for (std::int64_t p : process_set) if (p != nemesis_process) processes.push_back(p);
  if (process_set.contains(nemesis_process)) processes.push_back(nemesis_process);
  const std::map<std::int64_t, std::string> node_of = nodes_of_processes(history);
  std::map<std::int64_t, int> lane_of;
  json lanes = json::array(), lane_nodes = json::array();
  for (std::int64_t p : processes) {
    lane_of[p] = static_cast<int>(lanes.size());
    lanes.push_back(process_name(p));
    const auto node = node_of.find(p);
    lane_nodes.push_back(node != node_of.end() ? node->second : "");
  }
  std::map<std::string, int> key_index;
  json keys = json::array(), key = json::array();
  std::map<std::string, int> f_index;
  json f_names = json::array();
  json lane = json::array(), index = json::array(), start = json::array(), end = json::array(), type = json::array(),
       f = json::array(), text = json::array();
  // The nemesis records an action as an invocation and a completion with the same f, one at a time.
  std::map<std::string, std::size_t> nemesis_open;  // f -> position of its invocation
  auto add = [&](const Op& invocation, const Op* completion) {
    auto [it, inserted] = f_index.emplace(invocation.f, static_cast<int>(f_names.size()));
    if (inserted) f_names.push_back(invocation.f);
    lane.push_back(lane_of[invocation.process]);
    index.push_back(invocation.index);
    start.push_back(ms_of(invocation.time_ns));
    end.push_back(completion ? json(ms_of(completion->time_ns)) : json(nullptr));
    type.push_back(type_code(completion));
    f.push_back(it->second);
    text.push_back(op_text(invocation, completion));
    if (invocation.key && !invocation.is_nemesis()) {
      auto [k, new_key] = key_index.emplace(*invocation.key, static_cast<int>(keys.size()));
      if (new_key) keys.push_back(*invocation.key);
      key.push_back(k->second);
    } else {
      key.push_back(-1);
    }
  };
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    if (op.is_nemesis()) {
      if (!op.is_completion()) {
        nemesis_open[op.f] = i;
      } else if (auto open = nemesis_open.find(op.f); open != nemesis_open.end()) {
        add(history[open->second], &op);
        nemesis_open.erase(open);
      } else {
        add(op, &op);
      }
      continue;
    }
    if (op.is_completion()) continue;
    const std::int64_t partner = history.partner(i);
    add(op, partner >= 0 ? &history[static_cast<std::size_t>(partner)] : nullptr);
  }
  for (const auto& [name, position] : nemesis_open) add(history[position], nullptr);
  return {{"lanes", lanes}, {"lane_nodes", lane_nodes}, {"f_names", f_names}, {"keys", keys},
          {"lane", lane},   {"index", index},           {"start_ms", start},    {"end_ms", end},
          {"type", type},   {"f", f},                   {"key", key},           {"text", text}};
}

json build_faults(const AvailabilityResult& availability, double duration_ms) {
  json faults = json::array();
  for (const FaultWindowResult& window : availability.windows) {
    faults.push_back({{"kind", window.kind.empty() ? std::string("fault") : window.kind},
                      {"label", fault_label(window.f, window.value)},
                      {"f", window.f},
                      {"value", field_text(window.value)},
                      {"start_ms", ms_of(window.start_time_ns)},
                      {"end_ms", window.end_time_ns ? ms_of(*window.end_time_ns) : duration_ms},
                      {"ops", window.ops}});
  }
  return faults;
}


json build_throughput(const History& history, double duration_ms) {
  const double bucket_ms =
      std::max(throughput_bucket_min_ms, duration_ms / static_cast<double>(throughput_buckets_max));
  const std::size_t buckets = static_cast<std::size_t>(duration_ms / bucket_ms) + 1;
  std::vector<std::array<double, 3>> counts(buckets, {0, 0, 0});
  for (const Op& op : history.ops()) {
    if (op.is_nemesis() || !op.is_completion()) continue;
    const std::size_t bucket = std::min(buckets - 1, static_cast<std::size_t>(std::max(0.0, ms_of(op.time_ns)) / bucket_ms));
    counts[bucket][op.type == OpType::ok ? 0 : op.type == OpType::fail ? 1 : 2] += 1;
  }
  json rows = json::array();
  const double per_second = 1000.0 / bucket_ms;
  for (std::size_t b = 0; b < buckets; ++b)
    rows.push_back({b * bucket_ms / 1000.0, counts[b][0] * per_second, counts[b][1] * per_second, counts[b][2] * per_second});
  return {{"bucket_ms", bucket_ms}, {"rows", rows}};
}

}  // namespace

// The faults in place while the anomaly's ops ran; when none was, the last one that ended
// before them (a fault can cause an anomaly after its repair: a lost write shows later).
json faults_at(const json& faults, double begin_ms, double end_ms) {
  json active = json::array();
  const json* last_before = nullptr;
  for (const json& fault : faults) {
    const double start = fault["start_ms"].get<double>(), stop = fault["end_ms"].get<double>();
    if (start <= end_ms && stop >= begin_ms) active.push_back(fault);
    else if (stop < begin_ms && (!last_before || stop > (*last_before)["end_ms"].get<double>())) last_before = &fault;
  }
  json result = {{"during", active}};
  if (active.empty() && last_before) result["last_before"] = *last_before;
  return result;
}

std::map<std::int64_t, std::string> nodes_of_processes(const History& history) {
  std::map<std::int64_t, std::string> nodes;
  for (const Op& op : history.ops())
    if (op.node && !op.is_completion()) nodes.emplace(op.process, *op.node);
  return nodes;
}

json build_report_data(const History& history, const json& results, const json& test,
                       const std::vector<std::string>& node_log_names) {
  json data;
  data["name"] = field_text(results.value("name", test.value("name", json("run"))));
  data["verdict"] = verdict_name(results.value("valid", json("unknown")));
  data["seed"] = field_text(results.value("seed", test.value("seed", json())));
  data["reproduce"] = field_text(results.value("reproduce", json("")));
  data["interrupted"] = results.value("interrupted", false);
  data["configuration"] = configuration_rows(test);

  const json checkers = results.value("checkers", json::object());
  data["checkers"] = json::array();
  for (const auto& [name, result] : checkers.items()) {
    json details = result.is_object() ? result : json::object();
    const json valid = details.value("valid", json("unknown"));
    details.erase("valid");
    data["checkers"].push_back({{"name", name}, {"verdict", verdict_name(valid)}, {"details", details}});
  }

  const json linearizability = checkers.value("linearizability", json::object());
  if (linearizability.is_object() && linearizability.contains("anomaly") && linearizability["anomaly"].is_object()) {
    const auto anomaly = linearizability["anomaly"].get<LinearizabilityAnomaly>();
    data["anomaly"] = anomaly;
    data["anomaly_view"] = build_anomaly_view(history, anomaly);
  }
  if (checkers.contains("set") && checkers["set"].is_object()) data["set"] = checkers["set"];
  if (checkers.contains("latency") && checkers["latency"].is_object()) data["latency"] = checkers["latency"];
  const json availability = checkers.value("availability", json::object());
  if (availability.is_object() && !availability.empty()) data["availability"] = availability;

  std::int64_t last_ns = 0;
  for (const Op& op : history.ops()) last_ns = std::max(last_ns, op.time_ns);
  const double duration_ms = ms_of(last_ns);
  data["duration_ms"] = duration_ms;
  data["timeline"] = build_timeline(history);
  data["faults"] = build_faults(availability.get<AvailabilityResult>(), duration_ms);
  // The set's first lost element: the faults between its add and the read that missed it.
  if (data.contains("set")) {
    const SetResult set = data["set"].get<SetResult>();
    if (!set.lost.listed.empty() && set.lost.listed.front().absent_in) {
      const SetAddedElement& lost = set.lost.listed.front();
      data["set_faults"] =
          faults_at(data["faults"], ms_of(lost.add.invoke_time_ns), ms_of(lost.absent_in->time_ns));
    }
  }
  if (data.contains("anomaly_view")) {
    json& view = data["anomaly_view"];
    view["faults"] = faults_at(data["faults"], ms_of(view["time_begin_ns"].get<std::int64_t>()),
                               ms_of(view["time_end_ns"].get<std::int64_t>()));
  }
  for (const char* checker : transactional_checkers) {
    const json details = checkers.value(checker, json::object());
    if (details.is_object() && details.contains("anomalies") && !details["anomalies"].empty())
      data["transactions"] = build_cycle_views(history, checker, details, data["faults"]);
  }
  data["throughput"] = build_throughput(history, duration_ms);

  json links = json::array({"history.jsonl", "results.json", "test.json"});
  for (std::size_t i = 0; i < node_log_names.size() && i < node_logs_linked_max; ++i)
    links.push_back("nodes/" + node_log_names[i]);
  data["links"] = links;
  return data;
}

}  // namespace faultline
