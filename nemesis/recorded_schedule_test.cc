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
    const NemesisPlannerOptions options = every_family(nodes);
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      std::mt19937_64 random(seed);
      NemesisState state;
      std::vector<TimedAction> planned;
      for (int i = 0; i < 60; ++i) {
        const auto action = next_nemesis_action(state, options, random);
        REQUIRE(action);
        const std::int64_t time_ns = (i + 1) * 1'500'000'000LL;
        planned.push_back({static_cast<double>(time_ns) / 1e9, *action});
        state = state_after(state, *action);
      }
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
