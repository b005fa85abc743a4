// The combined nemesis planner: only enabled families act, partitions alternate start and
// stop, clocks only on healthy nodes, restarts set clocks right, heal_everything heals all.
#include "nemesis_planner.h"

#include <catch2/catch.hpp>

#include "every_family.h"

using namespace faultline;

namespace {

const std::vector<std::string> nodes = {"n1", "n2", "n3"};


}  // namespace

TEST_CASE("a long plan uses every family, keeps every action possible and heals completely") {
  const NemesisPlannerOptions options = every_family(nodes);
  REQUIRE(validate_nemesis_planner_options(options).empty());
  std::mt19937_64 random(42);
  NemesisState state;
  int processes = 0, partitions = 0, clocks = 0, packets = 0;
  for (int i = 0; i < 300; ++i) {
    const auto action = next_nemesis_action(state, options, random);
    REQUIRE(action);
    if (const auto* change = std::get_if<PartitionChange>(&*action)) {
      ++partitions;
      CHECK(change->start == !state.partition.has_value());  // start and stop alternate
    } else if (const auto* packet = std::get_if<PacketChange>(&*action)) {
      ++packets;
      CHECK(packet->start == !state.packet.has_value());
    } else if (const auto* clock = std::get_if<ClockFault>(&*action)) {
      ++clocks;
      if (clock->kind != ClockFaultKind::reset)
        for (const auto& entry : clock->deltas_ms) CHECK(state.processes.healthy(entry.first));
    } else {
      ++processes;
    }
    state = state_after(state, *action);  // asserts that process faults were possible
    CHECK(state.processes.faulty() <= 1);  // the default budget of 3 nodes
  }
  CHECK(processes > 50);
  CHECK(partitions > 50);
  CHECK(clocks > 50);
  CHECK(packets > 50);
  for (const NemesisAction& heal : heal_everything(state)) state = state_after(state, heal);
  // Which nodes were ever corrupted outlives the heal (the corrupt budget is per run).
  CHECK(state.processes.ever_corrupted.size() <= 1);
  state.processes.ever_corrupted.clear();
  CHECK(state == NemesisState{});
}

TEST_CASE("the same seed gives the same plan") {
  auto plan = [](std::uint64_t seed) {
    std::mt19937_64 random(seed);
    NemesisState state;
    std::vector<std::string> text;
    for (int i = 0; i < 40; ++i) {
      const auto action = next_nemesis_action(state, every_family(nodes), random);
      text.push_back(describe(*action));
      state = state_after(state, *action);
    }
    return text;
  };
  CHECK(plan(3) == plan(3));
  CHECK(plan(3) != plan(4));
}

TEST_CASE("only enabled families act") {
  NemesisPlannerOptions options;
  options.partitions = PartitionPlannerOptions{};
  options.partitions->nodes = nodes;
  std::mt19937_64 random(5);
  NemesisState state;
  for (int i = 0; i < 20; ++i) {
    const auto action = next_nemesis_action(state, options, random);
    REQUIRE(action);
    CHECK(std::holds_alternative<PartitionChange>(*action));
    CHECK(action_name(*action) == (i % 2 == 0 ? "start-partition" : "stop-partition"));
    state = state_after(state, *action);
  }
  CHECK_FALSE(next_nemesis_action(NemesisState{}, NemesisPlannerOptions{}, random));
}

TEST_CASE("a restarted node comes back with its clock right") {
  NemesisState state;
  state.clocks = {{"n1", 500}, {"n2", -20}};
  state.processes.killed = {"n1"};
  state = state_after(state, NemesisAction{Fault{FaultKind::restart, {"n1"}}});
  CHECK(state.clocks == ClockOffsets{{"n2", -20}});
}

TEST_CASE("heal_everything: resume, restart, stop the partition, then reset the clocks still shifted") {
  NemesisState state;
  state.processes.killed = {"n3"};
  state.processes.paused = {"n2"};
  state.partition = partition_isolate(nodes, "n1");
  state.packet = PacketFault{PacketBehaviour::loss, {"n2"}, proxy::LinkState{false, 0, 0, 0.2}};
  state.clocks = {{"n1", 100}, {"n3", 300}};
  const std::vector<NemesisAction> heals = heal_everything(state);
  REQUIRE(heals.size() == 5);
  CHECK(describe(heals[0]) == "resume n2");
  CHECK(describe(heals[1]) == "restart n3");
  CHECK(action_name(heals[2]) == "stop-partition");
  CHECK(action_name(heals[3]) == "stop-packet");
  CHECK(describe(heals[4]) == "clock-reset n1");  // n3's clock came back right with its restart
  CHECK(describe_active(state) ==
        std::vector<std::string>{"kill n3", "pause n2", "partition " + describe(*state.partition), "loss n2 20%",
                                 "clock n1 +100ms", "clock n3 +300ms"});
}
