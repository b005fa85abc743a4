// One Paxos node as a pure state machine (STYLE principle 1; etcd's raft Step/Ready is the
// model): every decision the node makes lives here, and both the executable
// (node/paxos_service.cc) and the simulation (sim/paxos_sim.cc) drive these same objects.
//
// The node is proposer, acceptor and learner. It owns
// - where a client operation goes (--proposers leader: forward to the leader it chose,
//   leader_choice.h; a forward that reached nobody goes to the next candidate);
// - key queues and batches (key_queues.h): one consensus instance per key at a time, the
//   operations that arrive meanwhile go together as the next one; an operation that waited
//   too long is not started;
// - the proposer's attempts (proposer.h), their timeouts and randomized backoff;
// - the one-round fast path and confirmed reads (fast_path.h);
// - ballot reservations (ballot.h) and the acceptor (acceptor.h).
//
// A driver feeds events in with the current time and carries out the Ready that comes back, in
// this order: persist `records` and `ballot_reservation` (durable before anything of the Ready
// leaves the node, unless `records_may_lag`), then send `sends` (each to one acceptor, this
// node's own included; its reply comes back as an AcceptorReplyIn with the same tag), answer
// `acceptor_reply` to the request being stepped, answer `answers` to clients, arm `timers` (and
// may drop `cancelled_timers`: a cancelled timer that runs anyway changes nothing), and
// make `forwards` (each comes back as a ForwardAnswered). The node never blocks, reads no clock
// and draws its randomness from the seed it was given. Not thread-safe: the driver serializes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "../bugs.h"
#include "../operation_result.h"
#include "acceptor.h"
#include "ballot.h"
#include "fast_path.h"
#include "key_queues.h"
#include "leader_choice.h"
#include "proposer.h"
#include "register_command.h"

namespace faultline::paxos {

struct PaxosNodeConfig {
  std::size_t cluster_size = 3;
  std::size_t self = 0;  // this node's number, 0 .. cluster_size - 1
  bundled::Bug bug = bundled::Bug::none;
  bool fast_path = true;          // one-round operations and confirmed reads (fast_path.h)
  bool leader_proposers = true;   // false: every node proposes what its own clients ask
  std::size_t batch_max = 64;     // operations per consensus instance at most
  int max_attempts = 5;
  std::int64_t attempt_timeout_us = 1'000'000;      // one round of messages waits this long
  std::int64_t backoff_max_us = 50'000;             // times the attempt number: uniform up to it
  std::int64_t key_queue_wait_us_max = 1'000'000;   // queued longer: not started at all
  std::int64_t leader_suspicion_us = 1'000'000;     // leader_choice.h
  std::int64_t leader_slow_us = 1'000'000;
  std::uint64_t random_seed = 1;                    // backoff
};

// What a node had made durable, which is all a restarted node starts from.
struct PaxosNodeDurable {
  std::map<std::string, AcceptorRecord> records;
  std::uint64_t ballot_reserved = 0;
};

// Events.
// A client asked this node (`forwarded`: another node forwarded it; it is proposed here
// whoever this node thinks leads, so forwarding never loops). `id` is the driver's, unique
// among the operations it has not yet seen answered.
struct ClientOperation {
  std::uint64_t id = 0;
  std::string key;
  RegisterCommand command;
  bool forwarded = false;
};
// A proposer (this node or another) asks this node's acceptor.
struct AcceptorRequestIn {
  AcceptorRequest request;
};
// An acceptor answered one of this node's sends (`tag` as in the Send).
struct AcceptorReplyIn {
  std::size_t from = 0;
  std::uint64_t tag = 0;
  AcceptorReply reply;
};
// A timer this node set is due.
struct TimerDue {
  std::uint64_t id = 0;
};
// A forward ended: the leader's answer, or none (`maybe_delivered`: whether any of the request
// may have reached it; `error`: what went wrong, for the log).
struct ForwardAnswered {
  std::uint64_t id = 0;
  std::optional<bundled::OperationResult> result;
  bool maybe_delivered = true;
  std::string error;
};
using PaxosEvent = std::variant<ClientOperation, AcceptorRequestIn, AcceptorReplyIn, TimerDue, ForwardAnswered>;

// Effects.
struct Send {
  std::size_t to = 0;
  std::uint64_t tag = 0;  // comes back with the reply
  AcceptorRequest request;
};
struct ClientAnswer {
  std::uint64_t id = 0;
  bundled::OperationResult result;
};
struct Forward {
  std::uint64_t id = 0;  // the client operation's
  std::size_t to = 0;
  std::string key;
  RegisterCommand command;
};
struct TimerRequest {
  std::uint64_t id = 0;
  std::int64_t at_us = 0;
};
struct Ready {
  std::vector<std::pair<std::string, AcceptorRecord>> records;  // persist, in this order
  std::uint64_t ballot_reservation = 0;                         // nonzero: persist it
  // paxos-reply-before-persist only: `records` may reach the disk after the reply leaves.
  bool records_may_lag = false;
  std::optional<AcceptorReply> acceptor_reply;  // the answer to an AcceptorRequestIn
  std::vector<Send> sends;
  std::vector<ClientAnswer> answers;
  std::vector<TimerRequest> timers;
  std::vector<std::uint64_t> cancelled_timers;  // set before and not due yet: need not run
  std::vector<Forward> forwards;
  std::vector<std::string> log;  // lines for the node's log
};

struct PaxosNodeCounters {
  std::uint64_t operations_ok = 0, operations_failed = 0, cas_mismatches = 0, attempts = 0;
  std::uint64_t prepares = 0, accepts = 0, confirms = 0, rejections = 0;
  std::uint64_t prepares_sent = 0, fast_path_operations = 0, batches = 0, batched_operations = 0;
  std::uint64_t operations_forwarded = 0, forwards_failed = 0, confirmed_reads = 0, operations_not_started = 0;
};

class PaxosNode {
 public:
  PaxosNode(const PaxosNodeConfig& config, PaxosNodeDurable durable);

  Ready step(const PaxosEvent& event, std::int64_t now_us);

  const PaxosNodeConfig& config() const { return config_; }
  const Acceptor& acceptor() const { return acceptor_; }
  const std::map<std::string, Ballot>& learned() const { return learned_; }
  std::uint64_t ballot_reserved() const { return ballots_.reserved(); }
  const PaxosNodeCounters& counters() const { return counters_; }
  // Client operations this node has neither answered nor handed to a leader: queued or running.
  std::size_t operations_here() const { return operations_.size(); }

 private:
  struct Operation {
    std::string key;
    RegisterCommand command;
    std::int64_t deadline_us = 0;  // not started by then: not started at all
  };
  struct Batch {
    std::uint64_t tag = 0;
    std::vector<std::uint64_t> operations;
    Proposer proposer;
    std::uint64_t timer = 0;  // its one pending timer (a round's timeout or a backoff); 0: none
  };
  struct Forwarding {
    std::size_t leader = 0;
    std::int64_t started_us = 0;
    std::string key;
    RegisterCommand command;
  };
  // paxos-txn-split: a transaction that runs as one part per key, one after another.
  struct SplitTxn {
    nlohmann::json micro_ops;                          // reads filled in as parts answer
    std::vector<std::string> keys;                     // per part: its register
    std::vector<std::vector<std::size_t>> positions;   // per part: its micro-ops' places
    std::size_t next = 0;                              // the part running
  };
  struct Timer {
    enum class Kind { attempt_timeout, backoff } kind = Kind::attempt_timeout;
    std::string key;
    std::uint64_t tag = 0;      // the batch's
    int round = 0;              // attempt_timeout: the proposer's round it was set for
    std::uint64_t above = 0;    // backoff: the ballot counter to go above
  };

  void on_client_operation(const ClientOperation& operation, std::int64_t now_us, Ready& ready);
  // Forwards the operation to the leader this node chooses, or proposes it here.
  void route(std::uint64_t id, const std::string& key, const RegisterCommand& command, std::int64_t now_us, Ready& ready,
             bool forwarded_before);
  void on_acceptor_request(const AcceptorRequest& request, Ready& ready);
  void on_acceptor_reply(const AcceptorReplyIn& in, std::int64_t now_us, Ready& ready);
  void on_timer(const TimerDue& due, std::int64_t now_us, Ready& ready);
  void on_forward_answered(const ForwardAnswered& answered, std::int64_t now_us, Ready& ready);

  void propose_here(std::uint64_t id, const std::string& key, const RegisterCommand& command, std::int64_t now_us,
                    Ready& ready);
  void start_batch(const std::string& key, const std::vector<std::uint64_t>& operations, std::int64_t now_us,
                   Ready& ready);
  void start_next_batch(const std::string& key, std::int64_t now_us, Ready& ready);
  void carry_out(Batch& batch, ProposerOutput out, std::int64_t now_us, Ready& ready);
  void finish(Batch& batch, const ProposerResult& result, std::int64_t now_us, Ready& ready);
  void answer(std::uint64_t id, bundled::OperationResult result, std::int64_t now_us, Ready& ready);
  // paxos-txn-split: proposes each key of the transaction as an operation of its own, the next
  // once the one before was chosen.
  void propose_split(std::uint64_t id, const RegisterCommand& command, std::int64_t now_us, Ready& ready);
  void start_part(std::uint64_t parent, std::int64_t now_us, Ready& ready);
  void part_answered(std::uint64_t parent, const bundled::OperationResult& result, std::int64_t now_us, Ready& ready);
  Ballot new_ballot(std::uint64_t above, Ready& ready);
  // Sets `batch`'s timer, cancelling the one it had.
  void set_timer(Batch& batch, Timer timer, std::int64_t at_us, Ready& ready);
  void cancel_timer(Batch& batch, Ready& ready);

  PaxosNodeConfig config_;
  Acceptor acceptor_;
  BallotSource ballots_;
  KeyQueues queues_;
  FastPaths fast_paths_;
  LeaderChoice leader_choice_;
  std::mt19937_64 random_;
  std::map<std::uint64_t, Operation> operations_;  // by client operation id, until answered
  std::map<std::string, Batch> batches_;           // the one running per key
  std::map<std::uint64_t, Forwarding> forwards_;   // by client operation id
  std::map<std::uint64_t, Timer> timers_;
  std::map<std::string, Ballot> learned_;  // the learner's view: highest ballot chosen per key
  std::map<std::uint64_t, SplitTxn> split_txns_;    // by the client operation's id
  std::map<std::uint64_t, std::uint64_t> split_parts_;  // the part's operation id -> the transaction's
  std::uint64_t next_part_id_ = std::uint64_t{1} << 63;  // apart from the driver's ids
  std::uint64_t next_tag_ = 1;
  std::uint64_t next_timer_ = 1;
  PaxosNodeCounters counters_;
};

}  // namespace faultline::paxos
