// Replay's first step: a history's nemesis ops read back into the actions the planner made.
// Round trip: every action of long seeded plans (all families), recorded as the nemesis
// records it, reads back equal, with its time.
#include "recorded_schedule.h"

#include <catch2/catch.hpp>

#include "history/history.h"

using namespace faultline;

namespace {

NemesisPlannerOptions all_families(const std::vector<std::string>& nodes) {
  NemesisPlannerOptions options;
  options.processes = ProcessPlannerOptions{};
  options.processes->nodes = nodes;
  options.partitions = PartitionPlannerOptions{};
  options.partitions->nodes = nodes;
  options.clocks = ClockPlannerOptions{};
  options.clocks->nodes = nodes;
  options.packets = PacketPlannerOptions{};
  options.packets->nodes = nodes;
  return options;
}

Op nemesis_op(OpType type, std::int64_t time_ns, const NemesisAction& action) {
  Op op;
  op.process = nemesis_process;
  op.type = type;
  op.time_ns = time_ns;
  op.f = std::string(action_name(action));
  op.value = action_value(action);
  return op;
}

}  // namespace

TEST_CASE("recorded schedule: every action of seeded plans reads back as it was made, at its time") {
  for (const std::vector<std::string> nodes : {std::vector<std::string>{"n1", "n2", "n3"},
                                               std::vector<std::string>{"n1", "n2", "n3", "n4", "n5"}}) {
    const NemesisPlannerOptions options = all_families(nodes);
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
      std::mt19937_64 random(seed);
      NemesisState state;
      std::vector<TimedAction> planned;
      std::vector<Op> ops;
      for (int i = 0; i < 60; ++i) {
        const auto action = next_nemesis_action(state, options, random);
        REQUIRE(action);
        const std::int64_t time_ns = (i + 1) * 1'500'000'000LL;
        planned.push_back({static_cast<double>(time_ns) / 1e9, *action});
        ops.push_back(nemesis_op(OpType::invoke, time_ns, *action));
        ops.push_back(nemesis_op(OpType::info, time_ns + 1'000'000, *action));
        state = state_after(state, *action);
      }
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
