// The Paxos adapter: drives a Proposer per client operation with real peers (HTTP), hosts this
// node's Acceptor behind POST /internal/paxos, and persists before replying. The node is all
// three roles: proposer, acceptor, learner (each proposer learns its own accept phase; the node
// keeps the last value it learned per key for /status).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>

#include <random>
#include <vector>

#include "../paxos/acceptor.h"
#include "../paxos/ballot.h"
#include "../paxos/fast_path.h"
#include "../paxos/key_queues.h"
#include "../paxos/proposer.h"
#include "../storage/acceptor_storage.h"
#include "background_persister.h"
#include "kv_service.h"
#include "leader_choice.h"
#include "options.h"
#include "peer_client.h"
#include "reply_queue.h"

namespace faultline::node {

class PaxosService final : public KvService {
 public:
  // `peers`: one client per node of the cluster in NodeOptions::cluster() order, this node's own
  // included (it is an acceptor like the others).
  PaxosService(const NodeOptions& options, std::unique_ptr<storage::AcceptorStorage> storage,
               std::vector<std::unique_ptr<PeerClient>> peers);

  OperationResult execute(const std::string& key, const paxos::RegisterCommand& command) override;
  InternalReply internal(const std::string& protocol, const nlohmann::json& body) override;
  nlohmann::json status() override;
  void set_clock_offset_ms(std::int64_t) override {}

 private:
  struct Waiter;
  // Runs a client operation in this node's key queues, as proposer (never forwards).
  OperationResult propose_here(const std::string& key, const paxos::RegisterCommand& command);
  // Under queues_mutex_: gives `waiter` its result, and starts the key's next batch.
  void answer(std::uint64_t waiter, OperationResult result);
  void start_next_batch(const std::string& key);
  // Runs one consensus instance on `key` applying `commands` in order (this node's proposer).
  paxos::ProposerResult run_batch(const std::string& key, std::vector<paxos::RegisterCommand> commands);
  // Sends `request` to every acceptor, this node's own included; replies go to `replies`.
  using AcceptorReplies = ReplyQueue<paxos::AcceptorReply>;
  void broadcast(const paxos::AcceptorRequest& request, const std::shared_ptr<AcceptorReplies>& replies);
  paxos::AcceptorReply on_acceptor_request(const paxos::AcceptorRequest& request);
  // Under acceptor_mutex_: steps this node's acceptor and appends what it must persist; returns
  // the log sequence number to wait for before replying (0: nothing to wait for).
  std::uint64_t step_acceptor_locked(const paxos::AcceptorRequest& request, paxos::AcceptorReply& reply);
  // A batch of acceptor requests (a JSON array, see peer_client.h): the array of their replies.
  nlohmann::json on_acceptor_batch(const nlohmann::json& requests);
  paxos::Ballot new_ballot(std::uint64_t above);
  std::int64_t backoff_ms(int attempt);

  NodeOptions options_;
  std::unique_ptr<storage::AcceptorStorage> storage_;
  std::vector<std::unique_ptr<PeerClient>> peers_;

  std::mutex queues_mutex_;
  paxos::KeyQueues queues_;  // one proposer per key on this node; operations that wait go as one batch
  std::map<std::uint64_t, Waiter*> waiters_;
  std::uint64_t next_waiter_ = 1;
  std::mutex acceptor_mutex_;
  paxos::Acceptor acceptor_;
  std::mutex ballots_mutex_;
  paxos::BallotSource ballots_;
  std::mutex fast_paths_mutex_;
  paxos::FastPaths fast_paths_;  // per key: a ballot a majority promised, for the next operation
  std::mutex learned_mutex_;
  std::map<std::string, paxos::Ballot> learned_;  // the learner's view: highest ballot chosen per key
  std::mutex leader_mutex_;
  LeaderChoice leader_choice_;  // --proposers leader: where this node's operations go
  std::mutex random_mutex_;
  std::mt19937_64 random_;
  std::unique_ptr<BackgroundPersister> buggy_persister_;  // paxos-reply-before-persist only

  std::atomic<std::uint64_t> operations_ok_{0}, operations_failed_{0}, cas_mismatches_{0}, attempts_{0};
  std::atomic<std::uint64_t> prepares_{0}, accepts_{0}, rejections_{0};
  std::atomic<std::uint64_t> prepares_sent_{0}, fast_path_operations_{0}, batches_{0}, batched_operations_{0};
  std::atomic<std::uint64_t> operations_forwarded_{0}, forwards_failed_{0}, confirmed_reads_{0}, confirms_{0};
  std::atomic<std::uint64_t> operations_not_started_{0};
};

}  // namespace faultline::node
