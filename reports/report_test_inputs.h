// Literal inputs for the report tests: a small history with an anomaly, its results and its
// configuration, as `faultline test` would store them. No disk.
#pragma once

#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "history/history_format.h"

namespace faultline::report_test {

inline const std::string xss_value = "<script>alert(1)</script>";

// Processes 0 and 1 write and read register "r" (process 1 on node n2); the nemesis kills and restarts n1. Process 1's
// read of 2 cannot be placed; process 2 writes the XSS value (its add never completes).
inline History sample_history() {
  const std::string lines =
      R"({"index":0,"time":1000000,"process":0,"type":"invoke","f":"write","key":"r","value":1})" "\n"
      R"({"index":1,"time":2000000,"process":0,"type":"ok","f":"write","key":"r","value":1})" "\n"
      R"({"index":2,"time":2500000,"process":"nemesis","type":"invoke","f":"kill","value":["n1"]})" "\n"
      R"({"index":3,"time":2600000,"process":"nemesis","type":"info","f":"kill","value":["n1"]})" "\n"
      R"({"index":4,"time":3000000,"process":1,"node":"n2","type":"invoke","f":"read","key":"r","value":null})" "\n"
      R"({"index":5,"time":4000000,"process":1,"type":"ok","f":"read","key":"r","value":2})" "\n"
      R"({"index":6,"time":4500000,"process":2,"type":"invoke","f":"write","key":"r","value":"<script>alert(1)</script>"})" "\n"
      R"({"index":7,"time":5000000,"process":"nemesis","type":"invoke","f":"restart","value":["n1"]})" "\n"
      R"({"index":8,"time":5100000,"process":"nemesis","type":"info","f":"restart","value":["n1"]})" "\n"
      R"({"index":9,"time":6000000,"process":0,"type":"invoke","f":"read","key":"r","value":null})" "\n"
      R"({"index":10,"time":7000000,"process":0,"type":"fail","f":"read","key":"r","value":null,"error":"timeout </script><!--"})" "\n";
  std::istringstream in(lines);
  auto history = read_history(in, "sample.jsonl", HistoryFormat::jsonl);
  if (!history) throw std::runtime_error(history.error().to_string());
  return *history;
}

inline nlohmann::json sample_results() {
  return nlohmann::json::parse(R"({
    "valid": false, "seed": 42, "name": "paxos-register", "interrupted": false,
    "reproduce": "faultline test --seed 42 --bug paxos-promise-drops-accepted",
    "checkers": {
      "linearizability": {"valid": false, "model": "cas-register", "ops": 4, "keys": 1, "anomaly": {
        "key": "r", "method": "search",
        "op": {"process": 1, "f": "read", "input": "read 2", "invoke_index": 4, "invoke_time": 3000000,
               "type": "ok", "value": 2, "complete_index": 5, "complete_time": 4000000},
        "linearized": [{"process": 0, "f": "write", "input": "write 1", "invoke_index": 0, "invoke_time": 1000000,
                        "type": "ok", "value": 1, "complete_index": 1, "complete_time": 2000000, "state_after": "1"}],
        "linearized_count": 1,
        "concurrent": [{"process": 2, "f": "write", "input": "write <script>alert(1)</script>", "invoke_index": 6,
                        "invoke_time": 4500000, "type": "info", "value": "<script>alert(1)</script>"}],
        "states": ["1"], "explanation": "read 2 needs the state 2, but the register holds 1 <!-- \u2028"}},
      "availability": {"valid": true, "windows": [{"kind": "killed", "f": "kill", "value": ["n1"],
        "start_index": 3, "start_time_ns": 2600000, "end_index": null, "end_time_ns": null,
        "ops": {"count": 1, "ok_count": 1, "fail_count": 0, "info_count": 0, "ok_share": 1.0}}]},
      "latency": {"valid": true, "by_f": {"read": {"ok_count": 1, "p50_ms": 1.0, "p90_ms": 1.0, "p99_ms": 1.0, "max_ms": 1.0}}}
    }})");
}

inline nlohmann::json sample_test() {
  return nlohmann::json::parse(R"({"target": "bundled", "protocol": "quorum", "nodes": 3, "write_quorum": 0,
    "read_quorum": 2, "read_repair": "sync", "timestamps": "lamport", "bug": "", "workload": "register",
    "keys": 1, "clients": 3, "rate": 100, "time_limit_s": 10, "nemesis": ["kill"], "nemesis_interval_s": 5,
    "nemesis_targets": "minority", "seed": 42, "store": "store", "name": "paxos-register"})");
}

}  // namespace faultline::report_test
