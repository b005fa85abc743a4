// Deterministic simulation of the Paxos cores: thousands of seeded runs with message delay,
// loss, duplication, reordering, crashes and restarts; every history must be linearizable.
// Each planted Paxos bug must be caught in some seed.
#include <catch2/catch.hpp>

#include <iostream>

#include "../sim/paxos_sim.h"
#include "../sim/sim_check.h"

using namespace faultline;
using namespace faultline::sim;

namespace {

// Seeds vary the shape of the run too: 3 or 5 nodes, 1 or 2 keys, 3 to 6 clients, 0 to 20%
// message loss and duplication.
SimConfig config_for(std::uint64_t seed) {
  SimConfig config;
  config.seed = seed;
  config.keys = 1 + static_cast<int>(seed % 2);
  config.nodes = seed % 3 == 0 ? 5 : 3;
  config.clients = 3 + static_cast<std::size_t>(seed / 3 % 4);
  config.loss_percent = static_cast<int>(seed / 7 % 5) * 5;
  config.duplicate_percent = static_cast<int>(seed / 5 % 3) * 10;
  return config;
}

// The planted bugs are measured on one fixed shape, so that "caught in K seeds" compares.
SimConfig bug_config_for(std::uint64_t seed) {
  SimConfig config;
  config.seed = seed;
  config.keys = 1 + static_cast<int>(seed % 2);
  return config;
}

std::string rerun_hint(std::uint64_t seed, const char* test) {
  return "rerun: FAULTLINE_SIM_SEED=" + std::to_string(seed) + " build/tests/bundled_sim_test '" + test + "'";
}

struct Caught {
  std::uint64_t first_seed = 0;  // 0: never caught
  std::size_t seeds = 0;         // how many seeds caught it
};

Caught caught_seeds(const PaxosSimOptions& options, std::uint64_t seeds) {
  Caught caught;
  for (std::uint64_t seed : simulation_seeds(seeds)) {
    SimConfig config = bug_config_for(seed);
    // As the node runs it, most operations reach one node, as forwarding to a leader does.
    if (options.batch_max > 1) config.leader_percent = 60;
    // Losing unpersisted state needs a crash soon after a reply: crash more often.
    if (options.bug == bundled::Bug::paxos_reply_before_persist) config.crash_interval_max_us = 30'000;
    SimCheck check = check_simulated_history(run_paxos_simulation(config, options).ops);
    if (check.verdict != Verdict::invalid) continue;
    if (caught.first_seed == 0) caught.first_seed = seed;
    ++caught.seeds;
  }
  return caught;
}

}  // namespace

TEST_CASE("paxos simulation: a seed replays the same history", "[paxos-sim]") {
  PaxosSimOptions options;
  auto a = run_paxos_simulation(config_for(7), options);
  auto b = run_paxos_simulation(config_for(7), options);
  REQUIRE(a.ops.size() == b.ops.size());
  for (std::size_t i = 0; i < a.ops.size(); ++i) REQUIRE(describe(a.ops[i]) == describe(b.ops[i]));
}

TEST_CASE("paxos simulation: makes progress under faults", "[paxos-sim]") {
  // Most operations get a definite answer (ok, or a cas mismatch / definite failure); few end unknown.
  std::size_t definite = 0, unknown = 0, crashes = 0, timeouts = 0, unknown_answers = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    auto run = run_paxos_simulation(config_for(seed), PaxosSimOptions{});
    crashes += run.stats.crashes;
    timeouts += run.stats.client_timeouts;
    unknown_answers += run.stats.unknown_answers;
    for (const Op& op : run.ops) {
      if (op.type == OpType::ok || op.type == OpType::fail) ++definite;
      if (op.type == OpType::info) ++unknown;
    }
  }
  INFO("definite " << definite << ", unknown " << unknown << " (client timeouts " << timeouts << ", unknown answers "
                    << unknown_answers << "), crashes " << crashes);
  CHECK(crashes > 20);
  CHECK(definite > 3 * unknown);
}

TEST_CASE("paxos simulation: every history is linearizable", "[paxos-sim]") {
  for (std::uint64_t seed : simulation_seeds(5000)) {
    auto run = run_paxos_simulation(config_for(seed), PaxosSimOptions{});
    SimCheck check = check_simulated_history(run.ops);
    if (check.verdict != Verdict::valid) {
      FAIL_CHECK("seed " << seed << ": " << to_string(check.verdict) << "\n"
                         << rerun_hint(seed, "paxos simulation: every history is linearizable") << "\n"
                         << check.explanation);
      return;
    }
  }
}

TEST_CASE("paxos simulation with the fast path: every history is linearizable", "[paxos-sim]") {
  PaxosSimOptions options;
  options.fast_path = true;
  for (std::uint64_t seed : simulation_seeds(3000)) {
    auto run = run_paxos_simulation(config_for(seed), options);
    SimCheck check = check_simulated_history(run.ops);
    if (check.verdict != Verdict::valid) {
      FAIL_CHECK("seed " << seed << ": " << to_string(check.verdict) << "\n"
                         << rerun_hint(seed, "paxos simulation with the fast path: every history is linearizable")
                         << "\n"
                         << check.explanation);
      return;
    }
  }
}

TEST_CASE("paxos simulation as the node runs it (fast path, batches): every history is linearizable", "[paxos-sim]") {
  const char* name = "paxos simulation as the node runs it (fast path, batches): every history is linearizable";
  PaxosSimOptions options;
  options.fast_path = true;
  options.batch_max = 64;
  std::size_t batched = 0, confirmed = 0;
  for (std::uint64_t seed : simulation_seeds(5000)) {
    SimConfig config = config_for(seed);
    config.leader_percent = static_cast<int>(seed % 4) * 30;  // 0 to 90%: from no leader to a steady one
    auto run = run_paxos_simulation(config, options);
    batched += run.batched_operations;
    confirmed += run.confirmed_read_batches;
    SimCheck check = check_simulated_history(run.ops);
    if (check.verdict != Verdict::valid) {
      FAIL_CHECK("seed " << seed << ": " << to_string(check.verdict) << "\n"
                         << rerun_hint(seed, name) << "\n"
                         << check.explanation);
      return;
    }
  }
  // Batches did form and reads were confirmed: the property covers them.
  INFO("operations that shared an instance: " << batched << "; read batches confirmed: " << confirmed);
  CHECK(batched > 1000);
  CHECK(confirmed > 1000);
}

TEST_CASE("paxos simulation: planted bugs are caught", "[paxos-sim][bugs]") {
  const bundled::Bug bug = GENERATE(bundled::Bug::paxos_reply_before_persist, bundled::Bug::paxos_promise_drops_accepted,
                                    bundled::Bug::paxos_minority_accept);
  // Two rounds one operation at a time, and as the node runs by default (fast path, batches).
  const bool as_node_runs = GENERATE(false, true);
  PaxosSimOptions options;
  options.bug = bug;
  options.fast_path = as_node_runs;
  options.batch_max = as_node_runs ? 64 : 1;
  const Caught caught = caught_seeds(options, 1000);
  INFO("bug " << bundled::bug_name(bug) << (as_node_runs ? " (fast path, batches)" : ""));
  CHECK(caught.first_seed != 0);
  std::cerr << bundled::bug_name(bug) << (as_node_runs ? " (fast path, batches)" : "") << ": caught in " << caught.seeds << " seeds, first " << caught.first_seed
            << " (FAULTLINE_SIM_SEED=" << caught.first_seed << " shows it)\n";
}
