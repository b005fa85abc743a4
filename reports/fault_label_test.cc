#include <catch2/catch.hpp>

#include "fault_label.h"

namespace faultline {
namespace {

using nlohmann::json;

TEST_CASE("fault labels: processes") {
  CHECK(fault_label("kill", json::array({"n2"})) == "n2 killed");
  CHECK(fault_label("pause", json::array({"n1", "n3"})) == "n1 n3 paused");
}

TEST_CASE("fault labels: partitions, as the nemesis records them") {
  CHECK(fault_label("start-partition", {{"kind", "isolate"}, {"description", "n3 | n1 n2"}}) == "n3 cut off from n1 n2");
  CHECK(fault_label("start-partition", {{"kind", "isolate"}, {"description", "n1 n2 | n3"}}) == "n3 cut off from n1 n2");
  CHECK(fault_label("start-partition", {{"kind", "halves"}, {"description", "n1 n2 | n3 n4 n5"}}) ==
        "n1 n2 cut off from n3 n4 n5");
  CHECK(fault_label("start-partition", {{"kind", "bridge"}, {"description", "bridge n3: n1 n2 | n4 n5"}}) ==
        "n1 n2 and n4 n5 meet only through n3");
  CHECK(fault_label("start-partition", {{"kind", "majorities-ring"}, {"description", "majorities ring n1 n2 n3 n4 n5"}}) ==
        "each node sees only a majority around it (ring n1 n2 n3 n4 n5)");
  CHECK(fault_label("start-partition", {{"kind", "one-way"}, {"description", "one-way n1->n2"}}) == "one-way cut: n1->n2");
  CHECK(fault_label("start-partition", {{"cut", json::array({json::array({"n1", "n3"})})}}) == "links cut: n1→n3");
}

TEST_CASE("fault labels: packets and clocks") {
  CHECK(fault_label("start-packet", {{"behaviour", "delay"}, {"nodes", {"n1"}}, {"latency_ms", 50}, {"jitter_ms", 20}}) ==
        "packets delayed 50±20 ms at n1");
  CHECK(fault_label("start-packet", {{"behaviour", "loss"}, {"nodes", {"n1", "n2"}}, {"loss_probability", 0.2}}) ==
        "20% of packets lost at n1 n2");
  CHECK(fault_label("clock-bump", {{"n1", -8325}}) == "n1 clock \u22128.3 s");
  CHECK(fault_label("clock-bump", {{"n1", 120}, {"n3", -2300}}) == "n1 clock +120 ms, n3 clock \u22122.3 s");
  CHECK(fault_label("clock-strobe", {{"deltas_ms", {{"n2", 400}}}, {"period_ms", 10}}) == "n2 clock +400 ms (strobing)");
}

TEST_CASE("fault labels: what other tools record is shown with its value") {
  CHECK(fault_label("start", nullptr) == "start");
  CHECK(fault_label("start", json::array({"n1", "n2"})) == "start n1 n2");
  CHECK(fault_label("bump-clock", {{"n1", 3}}) == "bump-clock {\"n1\":3}");
}

}  // namespace
}  // namespace faultline
