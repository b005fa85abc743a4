// Replay's first step: a history's nemesis ops read back into the actions the planner made.
// Round trip: every action of long seeded plans (all families), recorded as the nemesis
// records it, reads back equal, with its time.
#include "recorded_schedule.h"

#include <catch2/catch.hpp>

#include "history/history.h"

#include "every_family.h"

using namespace faultline;

TEST_CASE("recorded schedule: every action of seeded plans reads back as it was made, at its time") {
  for (const std::vector<std::string> nodes : {std::vector<std::string>{"n1", "n2", "n3"},
                                               std::vector<std::string>{"n1", "n2", "n3", "n4", "n5"}}) {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      const std::vector<TimedAction> planned = seeded_plan(nodes, seed, 60, 1.5, false);
      REQUIRE(planned.size() == 60);
      const std::vector<Op> ops = schedule_ops(planned);
      auto history = History::build(ops, "plan");
      REQUIRE(history);
      auto schedule = recorded_schedule(*history);
      REQUIRE(schedule);
      CHECK(*schedule == planned);
    }
  }
}

TEST_CASE("recorded schedule: what no nemesis makes is an error naming the op") {
  std::vector<Op> ops(1);
  ops[0].process = nemesis_process;
  ops[0].f = "stop-partition";
  ops[0].value = "healed";
  auto history = History::build(ops, "bad");
  REQUIRE(history);
  auto schedule = recorded_schedule(*history);
  REQUIRE_FALSE(schedule);
  CHECK(schedule.error() == "op 0 (stop-partition): stop-partition with no partition in place");
  CHECK(recorded_action("flood", nullptr, std::nullopt, std::nullopt).error() == "'flood' is no action of faultline's nemesis");
  CHECK(recorded_action("clock-bump", nlohmann::json::array({1}), std::nullopt, std::nullopt).error() ==
        "a clock bump is {node: delta_ms}");
}
