// The Paxos cores (proposer, acceptor, learner) run over SimWorld: each node has an acceptor
// whose state survives crashes only as far as it was persisted, and one proposer per key at a
// time as in the node: operations that arrive meanwhile wait and go together as the key's next
// batch (paxos/key_queues.h). Deterministic for a given seed.
#pragma once

#include <cstdint>
#include <vector>

#include "../bugs.h"
#include "history/op.h"
#include "sim_world.h"

namespace faultline::sim {

struct PaxosSimOptions {
  bundled::Bug bug = bundled::Bug::none;
  int max_attempts = 5;
  std::int64_t attempt_timeout_us = 12'000;
  std::int64_t backoff_max_us = 4'000;
  std::int64_t persist_lag_us = 30'000;  // paxos-reply-before-persist: how late the write lands
  // Accepts carry the next prepare, and a node's next operation on a key skips the prepare
  // round when a majority promised, or confirms it for reads (paxos/fast_path.h); false: two
  // rounds always (the node's --no-fast-path; the node's default is true).
  bool fast_path = false;
  // The most operations one consensus instance takes (1: one operation per instance).
  std::size_t batch_max = 1;
};

struct SimResult {
  std::vector<Op> ops;
  SimStats stats;
  std::size_t batched_operations = 0;  // operations that shared a consensus instance with others
  std::size_t confirmed_read_batches = 0;  // read-only batches a majority's confirmation answered
};

SimResult run_paxos_simulation(const SimConfig& config, const PaxosSimOptions& options);

}  // namespace faultline::sim
