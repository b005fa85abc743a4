// The quorum cores (replica, coordinator) run over SimWorld: every node is a replica whose
// state survives crashes as far as it was persisted, and coordinates the client operations
// it receives. Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <vector>

#include "../quorum/coordinator.h"
#include "paxos_sim.h"
#include "sim_world.h"

namespace faultline::sim {

struct QuorumSimOptions {
  quorum::QuorumConfig quorum;  // cluster_size is taken from SimConfig::nodes
  std::int64_t operation_timeout_us = 12'000;  // per round of sends
  std::vector<std::int64_t> clock_offset_us;  // wall-clock mode: per-node skew (missing: 0)
};

SimResult run_quorum_simulation(const SimConfig& config, const QuorumSimOptions& options);

}  // namespace faultline::sim
