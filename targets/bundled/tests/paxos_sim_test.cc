// Deterministic simulation of the Paxos cores: thousands of seeded runs with message delay,
// loss, duplication, reordering, crashes and restarts; every history must be linearizable.
// Each planted Paxos bug must be caught in some seed.
#include <catch2/catch.hpp>

#include <iostream>

#include "../sim/paxos_sim.h"
#include "../sim/sim_check.h"
#include "sim_test_support.h"

using namespace faultline;
using namespace faultline::sim;
using namespace faultline::sim::testing;

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

struct Caught {
  std::uint64_t first_seed = 0;  // 0: never caught
  std::size_t seeds = 0;         // how many seeds caught it
};

Caught caught_seeds(const PaxosSimOptions& options, std::uint64_t seeds,
                    SimConfig (*config_of)(std::uint64_t) = bug_config_for) {
  Caught caught;
  for (std::uint64_t seed : simulation_seeds(seeds)) {
    SimConfig config = config_of(seed);
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
    if (!linearizable_or_fail(seed, check_simulated_history(run.ops))) return;
  }
}

TEST_CASE("paxos simulation with the fast path: every history is linearizable", "[paxos-sim]") {
  PaxosSimOptions options;
  options.fast_path = true;
  for (std::uint64_t seed : simulation_seeds(3000)) {
    auto run = run_paxos_simulation(config_for(seed), options);
    if (!linearizable_or_fail(seed, check_simulated_history(run.ops))) return;
  }
}

TEST_CASE("paxos simulation as the node runs it (fast path, batches): every history is linearizable", "[paxos-sim]") {
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
    if (!linearizable_or_fail(seed, check_simulated_history(run.ops))) return;
  }
  // Batches did form and reads were confirmed: the property covers them.
  INFO("operations that shared an instance: " << batched << "; read batches confirmed: " << confirmed);
  CHECK(batched > 1000);
  CHECK(confirmed > 1000);
}

TEST_CASE("paxos simulation with amnesia (--nemesis corrupt): a node that lost records stays out, every history is "
          "linearizable", "[paxos-sim]") {
  PaxosSimOptions options;
  options.amnesia_percent = 30;
  const bool as_node_runs = GENERATE(false, true);
  options.fast_path = as_node_runs;
  options.batch_max = as_node_runs ? 64 : 1;
  std::size_t amnesias = 0;
  for (std::uint64_t seed : simulation_seeds(1000)) {
    auto run = run_paxos_simulation(config_for(seed), options);
    amnesias += run.amnesias;
    if (!linearizable_or_fail(seed, check_simulated_history(run.ops))) return;
  }
  INFO("crashes that cut a journal short: " << amnesias);
  CHECK(amnesias > 500);
}

TEST_CASE("paxos simulation with amnesia: trust-damaged-log (voting with what is left) is caught", "[paxos-sim][bugs]") {
  PaxosSimOptions options;
  options.amnesia_percent = 30;
  options.bug = bundled::Bug::trust_damaged_log;
  const bool as_node_runs = GENERATE(false, true);
  options.fast_path = as_node_runs;
  options.batch_max = as_node_runs ? 64 : 1;
  const Caught caught = caught_seeds(options, 1000);
  CHECK(caught.first_seed != 0);
  std::cerr << "trust-damaged-log" << (as_node_runs ? " (fast path, batches)" : "") << ": caught in " << caught.seeds
            << " of 1000 seeds, first " << caught.first_seed << "\n";
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

namespace {

// The node as it ships: a leader proposes, the others forward to it; one-round operations,
// confirmed reads, batches; under crashes, partitions and pauses.
PaxosSimOptions as_shipped() {
  PaxosSimOptions options;
  options.fast_path = true;
  options.batch_max = 64;
  options.leader_proposers = true;
  return options;
}

SimConfig with_every_fault(std::uint64_t seed) {
  SimConfig config = config_for(seed);
  config.partitions = true;
  config.pauses = true;
  return config;
}

}  // namespace

TEST_CASE("paxos simulation of the node as shipped, every fault: every history is linearizable", "[paxos-sim]") {
  std::size_t forwarded = 0, partitions = 0, pauses = 0, cut = 0, batched = 0, ok = 0;
  for (std::uint64_t seed : simulation_seeds(5000)) {
    auto run = run_paxos_simulation(with_every_fault(seed), as_shipped());
    forwarded += run.operations_forwarded;
    partitions += run.stats.partitions;
    pauses += run.stats.pauses;
    cut += run.stats.messages_cut;
    batched += run.batched_operations;
    for (const Op& op : run.ops) ok += op.type == OpType::ok ? 1 : 0;
    if (!linearizable_or_fail(seed, check_simulated_history(run.ops))) return;
  }
  // The faults and the forwarding did happen, and operations still succeeded: the property
  // covers them.
  INFO("forwarded " << forwarded << ", partitions " << partitions << ", pauses " << pauses << ", messages cut " << cut
                    << ", batched " << batched << ", ok " << ok);
  if (simulation_seeds(5000).size() < 100) return;  // one seed asked for: nothing to count
  CHECK(forwarded > 10'000);
  CHECK(partitions > 1'000);
  CHECK(pauses > 1'000);
  CHECK(cut > 10'000);
  CHECK(batched > 1'000);
  CHECK(ok > 50'000);
}

TEST_CASE("paxos simulation of the node as shipped: planted bugs are caught", "[paxos-sim][bugs]") {
  const bundled::Bug bug = GENERATE(bundled::Bug::paxos_reply_before_persist, bundled::Bug::paxos_promise_drops_accepted,
                                    bundled::Bug::paxos_minority_accept);
  PaxosSimOptions options = as_shipped();
  options.bug = bug;
  const Caught caught = caught_seeds(options, 1000, with_every_fault);
  INFO("bug " << bundled::bug_name(bug));
  CHECK(caught.first_seed != 0);
  std::cerr << bundled::bug_name(bug) << " (as shipped, every fault): caught in " << caught.seeds << " seeds, first "
            << caught.first_seed << "\n";
}

namespace {

// One partition cuts node 2 off from 60 ms to 160 ms; nothing else goes wrong. Returns how long
// after the first client request that reached node 2 after the heal node 2 first had a forward
// answered by node 0 again (-1: never). (Clients whose requests node 2 held through the
// partition wait for their timeout first, so requests reach it again only some time after the
// heal.)
std::int64_t leader_regained_after_heal_us(std::uint64_t seed, bundled::Bug bug) {
  SimConfig config;
  config.seed = seed;
  config.nodes = 3;
  config.clients = 6;
  config.keys = 2;
  config.ops_per_client = 150;
  config.loss_percent = 0;
  config.duplicate_percent = 0;
  config.crashes = false;
  config.isolations = {SimConfig::Isolation{2, 60'000, 160'000}};
  PaxosSimOptions options = as_shipped();
  options.bug = bug;
  const SimResult run = run_paxos_simulation(config, options);
  REQUIRE(run.stats.end_us > 600'000);  // the clients ran long after the heal
  std::int64_t first_request = -1;
  for (const ReceivedRequest& request : run.requests_received) {
    if (request.node == 2 && request.at_us > 160'000) {
      first_request = request.at_us;
      break;
    }
  }
  REQUIRE(first_request > 0);
  for (const AnsweredForward& forward : run.answered_forwards)
    if (forward.from == 2 && forward.to == 0 && forward.at_us > first_request) return forward.at_us - first_request;
  return -1;
}

}  // namespace

// Commit b30b6ce fixed a leader choice that passed a healed leader over for as long as forwards
// from before the heal still hung (an end-to-end test under partitions saw it, in minutes).
// The simulation runs the same leader choice inside the shipped PaxosNode, and finds the old
// rule (the planted bug paxos-healed-leader-passed-over) in milliseconds.
TEST_CASE("paxos simulation: a healed leader is forwarded to again at once, the rule before b30b6ce is caught",
          "[paxos-sim][leader]") {
  // Suspicion and slowness take one attempt timeout (12 ms) each; a forward hangs up to ~240 ms.
  // Measured over these 20 seeds: the fixed rule regains the leader within 33-45 ms, the old
  // one after 106 ms or more; the bound sits between them.
  const std::int64_t soon_us = 6 * PaxosSimOptions{}.attempt_timeout_us;
  std::size_t fixed_soon = 0, old_late = 0;
  std::int64_t fixed_slowest = 0, old_fastest = -1;
  const auto seeds = simulation_seeds(20);
  for (std::uint64_t seed : seeds) {
    const std::int64_t fixed = leader_regained_after_heal_us(seed, bundled::Bug::none);
    const std::int64_t old = leader_regained_after_heal_us(seed, bundled::Bug::paxos_healed_leader_passed_over);
    INFO("seed " << seed << ": node 0 answered node 2's forwards again " << fixed
                 << " us after node 2 heard from a client after the heal, " << old << " us under the old rule");
    fixed_slowest = std::max(fixed_slowest, fixed);
    if (old >= 0 && (old_fastest < 0 || old < old_fastest)) old_fastest = old;
    fixed_soon += fixed >= 0 && fixed <= soon_us ? 1 : 0;
    old_late += old < 0 || old > soon_us ? 1 : 0;
    CHECK((fixed >= 0 && fixed <= soon_us));
  }
  std::cerr << "leader regained within " << soon_us / 1000 << " ms of the first request after the heal: " << fixed_soon << " of "
            << seeds.size() << " seeds (slowest " << fixed_slowest / 1000 << " ms); under the rule before b30b6ce, later in "
            << old_late << " of " << seeds.size() << " (fastest " << old_fastest / 1000 << " ms)\n";
  CHECK(old_late == seeds.size());
}
