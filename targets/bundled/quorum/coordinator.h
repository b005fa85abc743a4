// The quorum coordinator for one client operation (Dynamo style, as in Cassandra and Riak):
//   read:  ask the replicas, take the newest of R replies; read repair `sync` writes it back to
//          W replicas before answering (ABD: linearizable reads and writes when R + W > N),
//          `async` writes it back to the stale ones without waiting, `off` does nothing.
//   write: Lamport timestamps first ask R replicas for the highest counter; wall-clock ones take
//          the injected clock reading. Then the version goes to every replica; done at W acks.
//   cas:   a quorum read, then a conditional write. NOT atomic — two cas can both succeed. It is
//          unsafe on purpose, to compare with Paxos.
// A timeout resends the phase's requests to the replicas that have not answered (requests are
// idempotent), up to `max_rounds` sends; then the operation fails, definitely unless the write
// phase had begun. No other retries.
//
// Pure (STYLE principle 1): the caller delivers `send`, feeds replies and the timeout back in,
// and persists timestamp reservations before sending.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "../bugs.h"
#include "../operation_result.h"
#include "../paxos/register_command.h"
#include "versioned.h"

namespace faultline::quorum {

enum class ReadRepair { off, async, sync };

struct QuorumConfig {
  std::size_t cluster_size = 3;
  std::size_t write_quorum = 2;
  std::size_t read_quorum = 2;
  ReadRepair read_repair = ReadRepair::sync;
  TimestampMode timestamps = TimestampMode::lamport;
  bundled::Bug bug = bundled::Bug::none;
  int max_rounds = 3;  // sends of one phase's requests: the first and the resends after timeouts
};

struct QuorumMessage {
  std::size_t to = 0;  // replica (node index)
  ReplicaRequest request;
};


struct CoordinatorOutput {
  std::vector<QuorumMessage> send;
  std::int64_t persist_timestamp_reservation = 0;  // nonzero: persist before sending
  std::optional<bundled::OperationResult> done;
};

class Coordinator {
 public:
  // `clock_us`: the node's clock plus its offset when the operation arrived (wall-clock mode).
  Coordinator(const QuorumConfig& config, std::size_t self, std::string key, paxos::RegisterCommand command,
              TimestampSource& timestamps, std::int64_t clock_us);

  CoordinatorOutput start();
  CoordinatorOutput on_reply(std::size_t replica, const ReplicaReply& reply);
  // The replies to the last round took too long.
  CoordinatorOutput on_timeout();
  // Counts rounds of sends; the caller arms one timeout per round and ignores stale ones.
  int round() const { return round_; }

  enum class Phase { idle, reading, writing, done };
  Phase phase() const { return phase_; }

 private:
  CoordinatorOutput on_read_reply(std::size_t replica, const ReadReply& reply);
  CoordinatorOutput on_write_ack(std::size_t replica, const WriteAck& ack);
  CoordinatorOutput begin_write(Versioned versioned, std::int64_t reservation);
  CoordinatorOutput finish(bundled::OperationResult::Status status);

  QuorumConfig config_;
  std::size_t self_;
  std::string key_;
  paxos::RegisterCommand command_;
  TimestampSource& timestamps_;
  std::int64_t clock_us_;
  Phase phase_ = Phase::idle;
  std::size_t reads_needed_ = 0;
  std::set<std::size_t> read_from_;
  std::vector<std::pair<std::size_t, Timestamp>> replies_;  // for async read repair
  Versioned newest_;
  std::set<std::size_t> acked_by_;
  std::vector<std::size_t> targets_;  // who the current phase asks
  int rounds_in_phase_ = 0;
  int round_ = 0;
};

}  // namespace faultline::quorum
