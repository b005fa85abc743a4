// Step (a) of rendering a report (STYLE principle 11): the report's data, built purely from
// a run's history, its results.json and its test.json. No disk, no clock: tests give literal
// inputs. Nothing here runs a checker; checker findings are read from `results`.
//
// The data is JSON, so that step (b) can hand most of it to the page's script unchanged:
//   "name", "verdict" ("valid" | "invalid" | "unknown"), "seed", "reproduce", "interrupted"
//   "configuration": [[label, value text]...]
//   "checkers": [{"name", "verdict", "details"}]   details: results.json's, without "valid"
//   "anomaly": the linearizability anomaly (see checkers/linearizability), or absent
//   "anomaly_view": {"key", "method", "explanation", "time_begin_ns", "time_end_ns",
//       "processes": [...], "ops": [{"process", "invoke_index", "start_ns", "end_ns" (null:
//       never completed), "label", "type", "role" (blocked | setter | overwriter | linearized
//       | concurrent | nearby), "order" (1-based place in the linearized order, or null)}],
//       "faults": {"during": [faults in place while its ops ran], "last_before": the last fault
//       that ended before them, only when none was in place}}
//   "transactions": the transactional anomalies (cycle_view.h), when a transactional checker
//       found any
//   "set": the set checker's details, or absent; "set_faults": as anomaly_view's "faults", for
//       the span from the first lost element's add to the read that missed it
//   "timeline": {"lanes": [process names], "lane_nodes": [the node each process talked to, or
//       ""], "f_names": [...], "keys": [...], columns of one entry per op
//       (client ops from invocation to completion; nemesis actions likewise):
//       "lane", "index" (invocation's), "start_ms", "end_ms" (null: never completed),
//       "type" (0 ok, 1 fail, 2 info), "f" (into f_names), "key" (into keys, -1: none), "text"}
//   "faults": [{"kind", "label" (in words: "n3 cut off from n1 n2"), "f", "value", "start_ms",
//       "end_ms", "ops"}] from availability's windows
//       (end_ms: the end of the history when still open)
//   "throughput": {"bucket_ms", "rows": [[start_s, ok/s, fail/s, info/s]...]}
//   "latency", "availability": those checkers' details, or absent
//   "duration_ms", "links": [relative paths: "history.jsonl", "nodes/n1.log", ...]
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "results/linearizability_anomaly.h"

#include "history/history.h"

namespace faultline {

nlohmann::json build_report_data(const History& history, const nlohmann::json& results, const nlohmann::json& test,
                                 const std::vector<std::string>& node_log_names);

// The node each process talked to (a process stays on one node), where the history says.
std::map<std::int64_t, std::string> nodes_of_processes(const History& history);

// The diagram data of one linearizability anomaly: its ops, roles and the nearby ops of the
// same key from `history` (at most anomaly_ops_drawn_max). Part of build_report_data.
nlohmann::json build_anomaly_view(const History& history, const LinearizabilityAnomaly& anomaly);

// The faults (report data's "faults") in place between `begin_ms` and `end_ms`; when none was,
// the last one that ended before (a fault can cause an anomaly after its repair).
nlohmann::json faults_at(const nlohmann::json& faults, double begin_ms, double end_ms);

}  // namespace faultline
