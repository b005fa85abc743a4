#include <set>

#include <catch2/catch.hpp>

#include "report_data.h"
#include "report_test_inputs.h"

namespace faultline {
namespace {

using nlohmann::json;
using namespace report_test;

TEST_CASE("report data: verdict, reproduction and configuration") {
  const json data = build_report_data(sample_history(), sample_results(), sample_test(), {"n1.log"});
  CHECK(data["verdict"] == "invalid");
  CHECK(data["seed"] == "42");
  CHECK(data["reproduce"] == "faultline test --seed 42 --bug paxos-promise-drops-accepted");
  bool write_quorum_is_majority = false, read_quorum_is_two = false;
  for (const json& row : data["configuration"]) {
    if (row[0] == "write quorum (W)") write_quorum_is_majority = row[1] == "majority";
    if (row[0] == "read quorum (R)") read_quorum_is_two = row[1] == "2";
  }
  CHECK(write_quorum_is_majority);
  CHECK(read_quorum_is_two);
  CHECK(data["links"] == json({"history.jsonl", "results.json", "test.json", "nodes/n1.log"}));
}

TEST_CASE("report data: a run that says which configuration rows apply is shown so") {
  json test = sample_test();
  test["configuration"] = json::array({json::array({"target", "etcd 3.4.23"}), json::array({"etcd reads", "serializable"})});
  const json data = build_report_data(sample_history(), sample_results(), test, {});
  CHECK(data["configuration"] == test["configuration"]);
}

TEST_CASE("report data: the timeline holds every op, client and nemesis") {
  const History history = sample_history();
  const json data = build_report_data(history, sample_results(), sample_test(), {});
  const json& timeline = data["timeline"];
  // Invocations: client 0, 4, 6, 9 and nemesis 2, 7.
  std::set<std::int64_t> indexes;
  for (const json& index : timeline["index"]) indexes.insert(index.get<std::int64_t>());
  CHECK(indexes == std::set<std::int64_t>{0, 2, 4, 6, 7, 9});
  for (const char* column : {"lane", "start_ms", "end_ms", "type", "f", "text"})
    CHECK(timeline[column].size() == indexes.size());
  CHECK(timeline["lanes"] == json({"0", "1", "2", "nemesis"}));
  // The write that never completed: no end, type info.
  for (std::size_t i = 0; i < timeline["index"].size(); ++i) {
    if (timeline["index"][i] != 6) continue;
    CHECK(timeline["end_ms"][i].is_null());
    CHECK(timeline["type"][i] == 2);
  }
}

TEST_CASE("report data: a fault window still open lasts until the end of the history") {
  const json data = build_report_data(sample_history(), sample_results(), sample_test(), {});
  REQUIRE(data["faults"].size() == 1);
  CHECK(data["faults"][0]["kind"] == "killed");
  CHECK(data["faults"][0]["start_ms"] == 2.6);
  CHECK(data["faults"][0]["end_ms"] == 7.0);
}

TEST_CASE("anomaly view: roles, the linearized order, and nearby ops of the key") {
  const History history = sample_history();
  const json view = build_anomaly_view(history, sample_results()["checkers"]["linearizability"]["anomaly"]);
  std::map<std::int64_t, json> by_index;
  for (const json& op : view["ops"]) by_index[op["invoke_index"].get<std::int64_t>()] = op;
  CHECK(by_index.at(4)["role"] == "blocked");
  CHECK(by_index.at(0)["role"] == "linearized");
  CHECK(by_index.at(0)["order"] == 1);
  CHECK(by_index.at(0)["state_after"] == "1");
  CHECK(by_index.at(6)["role"] == "concurrent");
  CHECK(by_index.at(6)["end_ns"].is_null());
  CHECK(view["processes"] == json({0, 1, 2}));
  CHECK(view["time_begin_ns"] == 1000000);
}

TEST_CASE("anomaly view: an overwrite marks its setter and overwriter") {
  const json anomaly = json::parse(R"({"key": "r", "method": "overwrite", "linearized": [], "linearized_count": 0,
    "op": {"process": 1, "f": "read", "input": "read 1", "invoke_index": 4, "invoke_time": 3000000, "type": "ok",
           "value": 1, "complete_index": 5, "complete_time": 4000000},
    "setter": {"process": 0, "f": "write", "input": "write 1", "invoke_index": 0, "invoke_time": 1000000, "type": "ok",
               "value": 1, "complete_index": 1, "complete_time": 2000000},
    "overwriter": {"process": 2, "f": "write", "input": "write 2", "invoke_index": 6, "invoke_time": 2100000,
                   "type": "ok", "value": 2, "complete_index": 7, "complete_time": 2900000},
    "concurrent": [], "explanation": "read 1 needs the state 1, but ..."})");
  const json view = build_anomaly_view(History{}, anomaly);
  std::map<std::int64_t, std::string> roles;
  for (const json& op : view["ops"]) roles[op["invoke_index"].get<std::int64_t>()] = op["role"];
  CHECK(roles == std::map<std::int64_t, std::string>{{0, "setter"}, {4, "blocked"}, {6, "overwriter"}});
  CHECK(view["method"] == "overwrite");
}

TEST_CASE("report data: results without checkers or a test without fields still build") {
  const json data = build_report_data(History{}, json::object(), json::object(), {});
  CHECK(data["verdict"] == "unknown");
  CHECK(data["timeline"]["index"].empty());
  CHECK(!data.contains("anomaly"));
  CHECK(data["faults"].empty());
}

}  // namespace
}  // namespace faultline
