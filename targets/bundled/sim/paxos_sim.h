// The simulation of the shipped Paxos node: SimWorld runs one paxos::PaxosNode per node (the
// same state machine faultline-node runs, paxos/paxos_node.h) and carries out its Ready as the
// node's driver does: what it persists survives a crash, its sends and forwards are messages
// on the simulated network, its timers are simulated time. Deterministic for a given seed.
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
  // The node's limits (node/limits.h) on the simulation's time scale: an attempt times out
  // after attempt_timeout_us; queued operations, leader suspicion and slowness take as long as
  // an attempt, as in the node.
  std::int64_t attempt_timeout_us = 12'000;
  std::int64_t backoff_max_us = 4'000;
  std::int64_t persist_lag_us = 30'000;  // paxos-reply-before-persist: how late the write lands
  // Accepts carry the next prepare, and a node's next operation on a key skips the prepare
  // round when a majority promised, or confirms it for reads (paxos/fast_path.h); false: two
  // rounds always (the node's --no-fast-path; the node's default is true).
  bool fast_path = false;
  // The most operations one consensus instance takes (1: one operation per instance).
  std::size_t batch_max = 1;
  // Nodes forward their clients' operations to the leader they choose (the node's default,
  // --proposers leader); false: every node proposes what it is asked (--proposers every-node).
  bool leader_proposers = false;
  // --nemesis corrupt in the simulation: the chance that a crash also cuts the node's durable
  // journal short at a random record, as a truncated log loses acknowledged records. The node
  // restarts as faultline-node does when it finds that (targets/bundled/README.md, "Damaged
  // data files"): a non-voter that answers nothing to its peers and a definite failure to its
  // clients, for good; with the planted bug trust-damaged-log, as a voter with what is left.
  int amnesia_percent = 0;
};

// A forward that came back with the leader's answer.
struct AnsweredForward {
  std::size_t from = 0;
  std::size_t to = 0;
  std::int64_t at_us = 0;
};

// A client's request reached a node.
struct ReceivedRequest {
  std::size_t node = 0;
  std::int64_t at_us = 0;
};

struct SimResult {
  std::vector<Op> ops;
  SimStats stats;
  std::size_t batched_operations = 0;  // operations that shared a consensus instance with others
  std::size_t confirmed_read_batches = 0;  // read-only batches a majority's confirmation answered
  std::size_t operations_forwarded = 0;
  std::vector<AnsweredForward> answered_forwards;  // in time order
  std::vector<ReceivedRequest> requests_received;  // in time order
  std::size_t amnesias = 0;  // crashes that cut a node's durable journal short
};

SimResult run_paxos_simulation(const SimConfig& config, const PaxosSimOptions& options);

}  // namespace faultline::sim
