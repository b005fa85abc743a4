// The linearizability anomaly as a type: what the checker writes reads back the same, and
// results written before the type existed (fields missing) still read.
#include <catch2/catch.hpp>

#include "results/linearizability_anomaly.h"

using namespace faultline;
using nlohmann::json;

TEST_CASE("linearizability anomaly: to JSON and back is the same anomaly", "[results]") {
  LinearizabilityAnomaly anomaly;
  anomaly.key = "k7";
  anomaly.method = LinearizabilityAnomaly::Method::overwrite;
  anomaly.explanation = "read 2 needs the state 2";
  anomaly.op.process = 3;
  anomaly.op.f = "read";
  anomaly.op.input = "read 2";
  anomaly.op.type = "ok";
  anomaly.op.value = 2;
  anomaly.op.invoke_index = 10;
  anomaly.op.complete_index = 12;
  anomaly.op.invoke_time_ns = 100;
  anomaly.op.complete_time_ns = 200;
  AnomalyOp writer = anomaly.op;
  writer.f = "write";
  writer.input = "write 3";
  writer.complete_index.reset();
  writer.complete_time_ns.reset();
  writer.type = "info";
  anomaly.overwriter = writer;
  anomaly.concurrent = {writer};
  anomaly.states = {"2", "nil"};
  const json written = anomaly;
  CHECK(written["method"] == "overwrite");
  CHECK(written["op"]["invoke_time"] == 100);
  CHECK_FALSE(written["overwriter"].contains("complete_index"));
  CHECK_FALSE(written.contains("setter"));
  const auto read = written.get<LinearizabilityAnomaly>();
  CHECK(json(read) == written);
  CHECK(read.overwriter->input == "write 3");
  CHECK_FALSE(read.overwriter->completed());
  CHECK_FALSE(read.setter);
}

TEST_CASE("linearizability anomaly: older results with fields missing still read", "[results]") {
  const json old = {{"key", "a"},
                    {"op", {{"process", 1}, {"f", "cas"}, {"invoke_index", 4}, {"invoke_time", 5}}},
                    {"linearized", json::array({{{"f", "write"}, {"invoke_index", 2}, {"state_after", "1"}}})},
                    {"states", json::array({1, "2"})}};
  const auto anomaly = old.get<LinearizabilityAnomaly>();
  CHECK(anomaly.method == LinearizabilityAnomaly::Method::search);
  CHECK(anomaly.op.input == "cas");  // no input: the function's name
  CHECK_FALSE(anomaly.op.completed());
  REQUIRE(anomaly.linearized.size() == 1);
  CHECK(anomaly.linearized_count == 1);
  CHECK(anomaly.linearized[0].state_after == "1");
  CHECK(anomaly.states == std::vector<std::string>{"1", "2"});
  CHECK(anomaly.explanation.empty());
}
