// The clock planner: values on literal offsets, deltas within bounds, only possible faults,
// reset of exactly the shifted clocks, the recorded values.
#include "clock_planner.h"

#include <catch2/catch.hpp>
#include <cstdlib>

using namespace faultline;

namespace {

ClockPlannerOptions three_nodes() {
  ClockPlannerOptions options;
  options.nodes = {"n1", "n2", "n3"};
  return options;
}

}  // namespace

TEST_CASE("clock faults shift 1 to N eligible nodes by deltas within the bounds") {
  ClockPlannerOptions options = three_nodes();
  options.delta_ms_min = 100;
  options.delta_ms_max = 200;
  std::mt19937_64 random(7);
  bool saw_negative = false, saw_positive = false, saw_strobe = false;
  for (int i = 0; i < 500; ++i) {
    const auto fault = next_clock_fault({}, {"n1", "n3"}, options, random);
    REQUIRE(fault);
    REQUIRE(fault->kind != ClockFaultKind::reset);  // nothing shifted: nothing to reset
    REQUIRE_FALSE(fault->deltas_ms.empty());
    for (const auto& [node, delta] : fault->deltas_ms) {
      CHECK((node == "n1" || node == "n3"));
      CHECK(std::abs(delta) >= 100);
      CHECK(std::abs(delta) <= 200);
      (delta < 0 ? saw_negative : saw_positive) = true;
    }
    if (fault->kind == ClockFaultKind::strobe) {
      saw_strobe = true;
      CHECK(fault->strobe_period_ms == options.strobe_period_ms);
      CHECK(fault->strobe_duration_ms == options.strobe_duration_ms);
    }
  }
  CHECK(saw_negative);
  CHECK(saw_positive);
  CHECK(saw_strobe);
}

TEST_CASE("with no eligible node only a reset of the shifted clocks is possible") {
  std::mt19937_64 random(1);
  CHECK_FALSE(next_clock_fault({}, {}, three_nodes(), random));
  const auto fault = next_clock_fault({{"n2", 300}}, {}, three_nodes(), random);
  REQUIRE(fault);
  CHECK(*fault == ClockFault{ClockFaultKind::reset, {{"n2", 0}}, 0, 0});
}

TEST_CASE("bumps add up, a strobe leaves offsets alone, a reset clears them") {
  ClockOffsets offsets = offsets_after({}, ClockFault{ClockFaultKind::bump, {{"n1", 300}, {"n2", -50}}, 0, 0});
  CHECK(offsets == ClockOffsets{{"n1", 300}, {"n2", -50}});
  offsets = offsets_after(offsets, ClockFault{ClockFaultKind::bump, {{"n2", 50}}, 0, 0});
  CHECK(offsets == ClockOffsets{{"n1", 300}});  // back at 0: not shifted any more
  CHECK(offsets_after(offsets, ClockFault{ClockFaultKind::strobe, {{"n1", 9}}, 10, 100}) == offsets);
  const auto reset = reset_clocks(offsets);
  REQUIRE(reset);
  CHECK(offsets_after(offsets, *reset).empty());
  CHECK_FALSE(reset_clocks({}));
}

TEST_CASE("clock faults are recorded as Jepsen records them") {
  const ClockFault bump{ClockFaultKind::bump, {{"n1", -2300}, {"n3", 120}}, 0, 0};
  CHECK(clock_fault_value(bump) == nlohmann::json({{"n1", -2300}, {"n3", 120}}));
  CHECK(describe(bump) == "clock-bump n1 -2300ms n3 +120ms");
  const ClockFault strobe{ClockFaultKind::strobe, {{"n2", 500}}, 20, 1000};
  CHECK(clock_fault_value(strobe) ==
        nlohmann::json({{"deltas_ms", {{"n2", 500}}}, {"period_ms", 20}, {"duration_ms", 1000}}));
  const ClockFault reset{ClockFaultKind::reset, {{"n1", 0}, {"n2", 0}}, 0, 0};
  CHECK(clock_fault_value(reset) == nlohmann::json({"n1", "n2"}));
  CHECK(describe(reset) == "clock-reset n1 n2");
}

TEST_CASE("bad clock options are named") {
  ClockPlannerOptions options = three_nodes();
  CHECK(validate_clock_planner_options(options).empty());
  options.delta_ms_min = 500;
  options.delta_ms_max = 100;
  CHECK_THAT(validate_clock_planner_options(options), Catch::Contains("clock deltas"));
  options = three_nodes();
  options.strobe_period_ms = options.strobe_duration_ms;
  CHECK_THAT(validate_clock_planner_options(options), Catch::Contains("period"));
  options = three_nodes();
  options.weights.reset = 0;
  CHECK_THAT(validate_clock_planner_options(options), Catch::Contains("reset"));
  options = three_nodes();
  options.nodes.push_back("n1");
  CHECK_THAT(validate_clock_planner_options(options), Catch::Contains("twice"));
}
