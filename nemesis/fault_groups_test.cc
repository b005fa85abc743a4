// Shrinking removes whole faults: a fault is an action with the actions that end it. Removing
// any set of faults from a plan must leave a plan the nemesis could have made: every end finds
// what it ends in place, nothing begins twice, and everything ends.
#include "fault_groups.h"

#include <random>

#include <catch2/catch.hpp>

#include "every_family.h"

using namespace faultline;

namespace {

TimedAction at(double seconds, NemesisAction action) { return {seconds, std::move(action)}; }

Fault process(FaultKind kind, std::vector<std::string> nodes) { return {kind, std::move(nodes)}; }

ClockFault clock(ClockFaultKind kind, std::map<std::string, std::int64_t> deltas) {
  ClockFault fault;
  fault.kind = kind;
  fault.deltas_ms = std::move(deltas);
  return fault;
}

// What is wrong with carrying `schedule` out from a healthy cluster; empty when it is possible
// and leaves nothing in place.
std::string impossible(const std::vector<TimedAction>& schedule) {
  NemesisState state;
  for (const TimedAction& timed : schedule) {
    const std::string what = describe(timed.action);
    if (const auto* fault = std::get_if<Fault>(&timed.action)) {
      for (const std::string& node : fault->nodes) {
        const bool killed = state.processes.killed.contains(node), paused = state.processes.paused.contains(node);
        if (begins_window(fault->kind) && (killed || paused))
          return what + ": " + node + " is already down";
        if (fault->kind == FaultKind::restart && !killed) return what + ": " + node + " is not killed";
        if (fault->kind == FaultKind::resume && !paused) return what + ": " + node + " is not paused";
      }
    } else if (const auto* change = std::get_if<PartitionChange>(&timed.action)) {
      if (change->start == state.partition.has_value()) return what + ": out of turn";
    } else if (const auto* change = std::get_if<PacketChange>(&timed.action)) {
      if (change->start == state.packet.has_value()) return what + ": out of turn";
    }
    state = state_after(state, timed.action);
  }
  if (state.processes.faulty() > 0 || state.partition || state.packet) return "a fault is left in place";
  return "";
}

}  // namespace

TEST_CASE("fault groups: each beginning with the actions that end it") {
  const std::vector<TimedAction> schedule = {
      at(1, process(FaultKind::kill, {"n1"})),
      at(2, PartitionChange{true, Partition{}}),
      at(3, process(FaultKind::restart, {"n1"})),
      at(4, PartitionChange{false, Partition{}}),
      at(5, clock(ClockFaultKind::bump, {{"n2", 300}})),
      at(6, clock(ClockFaultKind::reset, {{"n2", 0}})),
      at(7, process(FaultKind::kill, {"n1", "n3"})),
      at(8, process(FaultKind::restart, {"n1"})),
      at(8.5, process(FaultKind::pause, {"n2"})),
      at(9, process(FaultKind::restart, {"n3"})),
      at(10, process(FaultKind::resume, {"n2"})),
  };
  const std::vector<FaultGroup> expected = {{0, 2}, {1, 3}, {4, 5}, {6, 7, 9}, {8, 10}};
  CHECK(fault_groups(schedule) == expected);
  CHECK(describe_fault(schedule, {0, 2}) == "kill n1 at 1.0 s, restart n1 at 3.0 s");
  const std::vector<TimedAction> kept = schedule_of(schedule, {expected[3], expected[0]});
  REQUIRE(kept.size() == 5);
  CHECK(kept[0] == schedule[0]);
  CHECK(kept[4] == schedule[9]);
}

TEST_CASE("fault groups: two restarts of one kill, one restart of two kills, join into one fault") {
  const std::vector<TimedAction> schedule = {
      at(1, process(FaultKind::kill, {"n1"})),
      at(2, process(FaultKind::kill, {"n2"})),
      at(3, process(FaultKind::restart, {"n1", "n2"})),
  };
  CHECK(fault_groups(schedule) == std::vector<FaultGroup>{{0, 1, 2}});
}

TEST_CASE("fault groups: any faults removed from seeded plans of every family leave a possible plan") {
  const std::vector<std::string> nodes = {"n1", "n2", "n3", "n4", "n5"};
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    std::mt19937_64 random(seed);
    const std::vector<TimedAction> plan = seeded_plan(nodes, seed, 40, 1.0, true);
    INFO("seed " << seed);
    REQUIRE(plan.size() >= 40);
    REQUIRE(impossible(plan).empty());
    const std::vector<FaultGroup> groups = fault_groups(plan);
    CHECK(groups.size() > 5);
    std::size_t actions = 0;
    for (const FaultGroup& group : groups) actions += group.size();
    CHECK(actions == plan.size());
    for (int trial = 0; trial < 50; ++trial) {
      std::vector<FaultGroup> kept;
      for (const FaultGroup& group : groups)
        if (random() % 2 == 0) kept.push_back(group);
      CHECK(impossible(schedule_of(plan, kept)) == "");
    }
  }
}
