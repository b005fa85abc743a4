// The process planner: literal sequences from a seed, only possible faults, the budget, heal_all.
#include "process_planner.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

ProcessPlannerOptions three_nodes() {
  ProcessPlannerOptions options;
  options.nodes = {"n1", "n2", "n3"};
  return options;
}

ProcessPlannerOptions five_nodes() {
  ProcessPlannerOptions options;
  options.nodes = {"n1", "n2", "n3", "n4", "n5"};
  return options;
}

// The first `count` faults from `seed`, each applied before the next is drawn.
std::vector<std::string> plan(const ProcessPlannerOptions& options, std::uint64_t seed, int count) {
  std::mt19937_64 random(seed);
  ProcessFaultState state;
  std::vector<std::string> faults;
  for (int i = 0; i < count; ++i) {
    const auto fault = next_fault(state, options, random);
    if (!fault) break;
    faults.push_back(describe(*fault));
    state = state_after(state, *fault);
  }
  return faults;
}

bool possible(const ProcessFaultState& state, const Fault& fault) {
  if (fault.nodes.empty()) return false;
  for (const std::string& node : fault.nodes) {
    const bool ok = fault.kind == FaultKind::restart  ? state.killed.contains(node)
                    : fault.kind == FaultKind::resume ? state.paused.contains(node)
                                                      : state.healthy(node);
    if (!ok) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("the default budget is a minority, at least one node") {
  ProcessPlannerOptions options;
  for (const auto& [n, budget] : {std::pair{1, 1}, {2, 1}, {3, 1}, {4, 1}, {5, 2}, {7, 3}}) {
    options.nodes.clear();
    for (int i = 1; i <= n; ++i) options.nodes.push_back("n" + std::to_string(i));
    CHECK(faulty_nodes_max(options) == budget);
  }
  options.faulty_nodes_max = 4;
  CHECK(faulty_nodes_max(options) == 4);
}

TEST_CASE("bad planner options are explained") {
  ProcessPlannerOptions options;
  CHECK(validate_process_planner_options(options) == "the process nemesis needs at least one node");
  options = three_nodes();
  CHECK(validate_process_planner_options(options).empty());
  options.faulty_nodes_max = 4;
  CHECK(validate_process_planner_options(options) == "faulty nodes at most: 4 is not from 1 to the 3 nodes");
  options = three_nodes();
  options.nodes.push_back("n1");
  CHECK(validate_process_planner_options(options) == "the process nemesis was given a node twice");
  options = three_nodes();
  options.weights.restart = 0;
  CHECK(validate_process_planner_options(options) == "an enabled fault and its heal must both have a positive weight");
}

TEST_CASE("a seed gives one sequence of faults") {
  CHECK(plan(three_nodes(), 1, 8) == std::vector<std::string>{"kill n1", "restart n1", "kill n3", "restart n3",
                                                              "kill n3", "restart n3", "pause n3", "resume n3"});
  CHECK(plan(five_nodes(), 7, 8) == std::vector<std::string>{"pause n4", "kill n1", "resume n4", "restart n1",
                                                             "pause n2", "kill n4", "restart n4", "resume n2"});
  // Up to two of five nodes at once: faults on one node or on two.
  CHECK(plan(five_nodes(), 8, 8) == std::vector<std::string>{"pause n5", "pause n3", "resume n3 n5", "kill n4 n5",
                                                             "restart n4 n5", "pause n2 n5", "resume n2 n5",
                                                             "kill n3"});
  CHECK(plan(five_nodes(), 7, 8) != plan(five_nodes(), 8, 8));
}

TEST_CASE("with three nodes and one node at most, every fault is followed by its heal") {
  // Once one node is down the budget is used: only its heal is possible.
  std::mt19937_64 random(3);
  ProcessFaultState state;
  for (int i = 0; i < 100; ++i) {
    const auto fault = next_fault(state, three_nodes(), random);
    REQUIRE(fault);
    if (i % 2 == 0) {
      CHECK((fault->kind == FaultKind::kill || fault->kind == FaultKind::pause));
      CHECK(fault->nodes.size() == 1);
    } else {
      CHECK((fault->kind == FaultKind::restart || fault->kind == FaultKind::resume));
    }
    state = state_after(state, *fault);
  }
}

TEST_CASE("only possible and enabled faults are chosen, within the budget, on many seeds") {
  for (const bool kill : {true, false}) {
    for (const bool pause : {true, false}) {
      for (std::uint64_t seed = 0; seed < 50; ++seed) {
        ProcessPlannerOptions options = five_nodes();
        options.kill_enabled = kill;
        options.pause_enabled = pause;
        options.faulty_nodes_max = 1 + static_cast<int>(seed % 5);
        std::mt19937_64 random(seed);
        ProcessFaultState state;
        for (int i = 0; i < 60; ++i) {
          const auto fault = next_fault(state, options, random);
          if (!kill && !pause) {
            CHECK_FALSE(fault);  // nothing enabled, nothing to heal
            break;
          }
          REQUIRE(fault);
          REQUIRE(possible(state, *fault));
          CHECK((fault->kind != FaultKind::kill || kill));
          CHECK((fault->kind != FaultKind::pause || pause));
          state = state_after(state, *fault);
          CHECK(state.faulty() <= static_cast<std::size_t>(faulty_nodes_max(options)));
        }
        // heal_all undoes everything, and its faults are possible in turn.
        for (const Fault& heal : heal_all(state)) {
          REQUIRE(possible(state, heal));
          state = state_after(state, heal);
        }
        CHECK(state == ProcessFaultState{});
      }
    }
  }
}

TEST_CASE("heal_all resumes the paused and restarts the killed, and active_faults lists them") {
  const ProcessFaultState state{{"n1", "n4"}, {"n2"}};
  CHECK(heal_all(state) == std::vector<Fault>{{FaultKind::resume, {"n2"}}, {FaultKind::restart, {"n1", "n4"}}});
  CHECK(active_faults(state) == std::vector<Fault>{{FaultKind::kill, {"n1", "n4"}}, {FaultKind::pause, {"n2"}}});
  CHECK(heal_all(ProcessFaultState{}).empty());
}

TEST_CASE("restart and resume bring back every node they name") {
  ProcessFaultState state;
  state = state_after(state, {FaultKind::kill, {"n1", "n2"}});
  state = state_after(state, {FaultKind::pause, {"n3"}});
  CHECK(state == ProcessFaultState{{"n1", "n2"}, {"n3"}});
  state = state_after(state, {FaultKind::restart, {"n1", "n2"}});
  CHECK(state == ProcessFaultState{{}, {"n3"}});
}

TEST_CASE("power loss: drawn only when enabled, counts as killed, ended by restart, listed apart from kills") {
  ProcessPlannerOptions options = three_nodes();
  options.kill_enabled = false;
  options.pause_enabled = false;
  options.power_loss_enabled = true;
  options.faulty_nodes_max = 3;
  REQUIRE(validate_process_planner_options(options).empty());
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 random(seed);
    ProcessFaultState state;
    for (int i = 0; i < 20; ++i) {
      const auto fault = next_fault(state, options, random);
      REQUIRE(fault);
      CHECK((fault->kind == FaultKind::power_loss || fault->kind == FaultKind::restart));
      CHECK(possible(state, *fault));
      state = state_after(state, *fault);
      CHECK(state.power_lost == state.killed);
    }
  }
  ProcessFaultState state = state_after(ProcessFaultState{}, {FaultKind::power_loss, {"n1", "n3"}});
  state = state_after(state, {FaultKind::kill, {"n2"}});
  CHECK(state.killed == std::set<std::string>{"n1", "n2", "n3"});
  CHECK(active_faults(state) == std::vector<Fault>{{FaultKind::kill, {"n2"}}, {FaultKind::power_loss, {"n1", "n3"}}});
  CHECK(heal_all(state) == std::vector<Fault>{{FaultKind::restart, {"n1", "n2", "n3"}}});
  CHECK(state_after(state, heal_all(state)[0]) == ProcessFaultState{});
  options.weights.power_loss = 0;
  CHECK(validate_process_planner_options(options) == "an enabled fault and its heal must both have a positive weight");
}

TEST_CASE("corrupt: one node at a time, with a plan drawn from the seed, counted as killed, ended by restart") {
  ProcessPlannerOptions options = three_nodes();
  options.kill_enabled = false;
  options.pause_enabled = false;
  options.corrupt_enabled = true;
  options.faulty_nodes_max = 3;
  REQUIRE(validate_process_planner_options(options).empty());
  bool truncated = false, flipped = false;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 random(seed);
    std::mt19937_64 again(seed);
    ProcessFaultState state;
    for (int i = 0; i < 20; ++i) {
      const auto fault = next_fault(state, options, random);
      REQUIRE(fault);
      CHECK(next_fault(state, options, again) == fault);  // the same seed, the same plan
      CHECK(possible(state, *fault));
      if (fault->kind == FaultKind::corrupt) {
        CHECK(state.corrupted.empty());  // never a second node while one is corrupted
        REQUIRE(fault->nodes.size() == 1);
        REQUIRE(fault->corruption);
        const FileCorruption& plan = *fault->corruption;
        CHECK((plan.file >= 0 && plan.file < 1));
        if (plan.kind == FileCorruption::Kind::truncate) {
          truncated = true;
          CHECK((plan.keep >= 0 && plan.keep < 1));
        } else {
          flipped = true;
          CHECK((plan.flips.size() >= 1 && plan.flips.size() <= 3));
        }
      } else {
        CHECK(fault->kind == FaultKind::restart);
        CHECK_FALSE(fault->corruption);
      }
      state = state_after(state, *fault);
      CHECK(state.corrupted == state.killed);
      CHECK(state.ever_corrupted.size() <= 3);
    }
  }
  // With the default budget (a minority: 1 of 3), every corrupt hits the first node corrupted.
  options.faulty_nodes_max.reset();
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    std::mt19937_64 random(seed);
    ProcessFaultState state;
    for (int i = 0; i < 20; ++i) {
      const auto fault = next_fault(state, options, random);
      REQUIRE(fault);
      state = state_after(state, *fault);
      CHECK(state.ever_corrupted.size() <= 1);
    }
  }
  CHECK(truncated);
  CHECK(flipped);
  ProcessFaultState state = state_after(ProcessFaultState{}, {FaultKind::corrupt, {"n2"}, FileCorruption{}});
  CHECK(active_faults(state) == std::vector<Fault>{{FaultKind::corrupt, {"n2"}, std::nullopt}});
  CHECK(heal_all(state) == std::vector<Fault>{{FaultKind::restart, {"n2"}, std::nullopt}});
  ProcessFaultState restarted;
  restarted.ever_corrupted = {"n2"};
  CHECK(state_after(state, {FaultKind::restart, {"n2"}, std::nullopt}) == restarted);
}
