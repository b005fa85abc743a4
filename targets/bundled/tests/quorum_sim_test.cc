// Deterministic simulation of the quorum cores. ABD (R + W > N, sync read repair) must be
// linearizable for reads and writes in every seed; the broken configurations must be caught
// in some seed: R + W <= N, the planted bug quorum-local-read, cas (not atomic under quorum),
// and wall-clock timestamps under clock skew.
#include <catch2/catch.hpp>

#include <iostream>

#include "../sim/quorum_sim.h"
#include "../sim/sim_check.h"
#include "sim_test_support.h"

using namespace faultline;
using namespace faultline::sim;
using namespace faultline::sim::testing;

namespace {

SimConfig reads_and_writes(std::uint64_t seed) {
  SimConfig config;
  config.seed = seed;
  config.cas = false;
  config.keys = 1 + static_cast<int>(seed % 2);
  return config;
}

// ABD seeds vary the shape too: 3 or 5 nodes (R = W = majority), 3 to 6 clients, 0 to 20%
// loss and duplication.
SimConfig varied(std::uint64_t seed) {
  SimConfig config = reads_and_writes(seed);
  config.nodes = seed % 3 == 0 ? 5 : 3;
  config.clients = 3 + static_cast<std::size_t>(seed / 3 % 4);
  config.loss_percent = static_cast<int>(seed / 7 % 5) * 5;
  config.duplicate_percent = static_cast<int>(seed / 5 % 3) * 10;
  return config;
}

QuorumSimOptions abd_for(const SimConfig& config) {
  QuorumSimOptions options;
  options.quorum.read_quorum = config.nodes / 2 + 1;
  options.quorum.write_quorum = config.nodes / 2 + 1;
  options.quorum.read_repair = quorum::ReadRepair::sync;
  options.quorum.timestamps = quorum::TimestampMode::lamport;
  return options;
}

QuorumSimOptions abd() {
  QuorumSimOptions options;
  options.quorum.read_quorum = 2;
  options.quorum.write_quorum = 2;
  options.quorum.read_repair = quorum::ReadRepair::sync;
  options.quorum.timestamps = quorum::TimestampMode::lamport;
  return options;
}

struct Caught {
  std::uint64_t first_seed = 0;  // 0: never caught
  std::size_t seeds = 0;         // how many seeds caught it
};

Caught caught_seeds(const QuorumSimOptions& options, std::uint64_t seeds, bool cas) {
  Caught caught;
  for (std::uint64_t seed : simulation_seeds(seeds)) {
    SimConfig config = reads_and_writes(seed);
    config.cas = cas;
    if (check_simulated_history(run_quorum_simulation(config, options).ops).verdict != Verdict::invalid) continue;
    if (caught.first_seed == 0) caught.first_seed = seed;
    ++caught.seeds;
  }
  return caught;
}

}  // namespace

TEST_CASE("quorum simulation: ABD is linearizable in every seed", "[quorum-sim]") {
  for (std::uint64_t seed : simulation_seeds(5000)) {
    const SimConfig config = varied(seed);
    if (!linearizable_or_fail(seed, check_simulated_history(run_quorum_simulation(config, abd_for(config)).ops))) return;
  }
}

TEST_CASE("quorum simulation: ABD makes progress under faults", "[quorum-sim]") {
  std::size_t definite = 0, unknown = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    const SimConfig config = varied(seed);
    for (const Op& op : run_quorum_simulation(config, abd_for(config)).ops) {
      if (op.type == OpType::ok || op.type == OpType::fail) ++definite;
      if (op.type == OpType::info) ++unknown;
    }
  }
  INFO("definite " << definite << ", unknown " << unknown);
  CHECK(definite > 3 * unknown);
}

TEST_CASE("quorum simulation: broken configurations are caught", "[quorum-sim][bugs]") {
  QuorumSimOptions options = abd();
  bool cas = false;
  std::string name;
  SECTION("R + W <= N") {
    name = "R=1 W=1";
    options.quorum.read_quorum = 1;
    options.quorum.write_quorum = 1;
  }
  SECTION("planted bug quorum-local-read") {
    name = "quorum-local-read";
    options.quorum.bug = bundled::Bug::quorum_local_read;
  }
  SECTION("cas is not atomic under quorum") {
    name = "quorum cas";
    cas = true;
  }
  SECTION("wall-clock timestamps with a skewed clock") {
    name = "wallclock skew";
    options.quorum.timestamps = quorum::TimestampMode::wallclock;
    options.clock_offset_us = {50'000, 0, 0};
  }
  const Caught caught = caught_seeds(options, 1000, cas);
  INFO(name);
  CHECK(caught.first_seed != 0);
  std::cerr << name << ": caught in " << caught.seeds << " seeds, first " << caught.first_seed << "\n";
}
