// The Paxos node's driver: it carries out what the pure state machine (paxos/paxos_node.h)
// decides, with real peers (HTTP), a real disk and the steady clock, and makes no protocol
// decision of its own. Client operations block their HTTP thread until the node answers them;
// peers' replies, timers and this node's own acceptor step the node from their own threads,
// one step at a time under one lock.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "../paxos/paxos_node.h"
#include "../storage/acceptor_storage.h"
#include "kv_service.h"
#include "options.h"
#include "peer_client.h"
#include "timer_thread.h"
#include "work_pool.h"

namespace faultline::node {

class PaxosService final : public KvService {
 public:
  // `peers`: one client per node of the cluster in NodeOptions::cluster() order, this node's own
  // included (it is not called: this node's acceptor answers in process).
  PaxosService(const NodeOptions& options, std::unique_ptr<storage::AcceptorStorage> storage,
               std::vector<std::unique_ptr<PeerClient>> peers);
  ~PaxosService() override;

  OperationResult execute(const std::string& key, const paxos::RegisterCommand& command) override;
  InternalReply internal(const std::string& protocol, const nlohmann::json& body) override;
  nlohmann::json status() override;
  void set_clock_offset_ms(std::int64_t) override {}

 private:
  struct Waiter {
    std::optional<OperationResult> result;
    std::condition_variable answered;
  };
  // Submits a client operation to the node and waits for its answer.
  OperationResult run_operation(const std::string& key, const paxos::RegisterCommand& command, bool forwarded);
  // Steps the node and queues what it must persist in the log (as the Ready says); `last` is the
  // log sequence number to wait for before any of the Ready leaves the node (0: none).
  paxos::Ready step_appending(const paxos::PaxosEvent& event, std::uint64_t& last);
  // step_appending, and waits for the disk; then the Ready may be carried out.
  paxos::Ready step_durably(const paxos::PaxosEvent& event);
  // Persists `records` buggy_persist_lag_ms from now (the Ready said they may lag).
  void persist_late(const std::vector<std::pair<std::string, paxos::AcceptorRecord>>& records);
  // step_durably, then carry_out; failures are logged (the node then simply never hears back).
  void step(const paxos::PaxosEvent& event);
  void carry_out(paxos::Ready& ready);
  void answer(std::uint64_t id, OperationResult result);
  void forget_timer(std::uint64_t id);
  // A batch of acceptor requests (a JSON array, see peer_client.h): the array of their replies,
  // sent once the last record is durable (one shared fsync).
  nlohmann::json on_acceptor_batch(const nlohmann::json& requests);
  void log(const std::string& line) const;

  NodeOptions options_;
  std::unique_ptr<storage::AcceptorStorage> storage_;
  std::vector<std::unique_ptr<PeerClient>> peers_;

  std::mutex node_mutex_;
  paxos::PaxosNode node_;

  std::mutex waiters_mutex_;
  std::map<std::uint64_t, Waiter*> waiters_;
  std::uint64_t next_operation_ = 1;
  std::atomic<bool> stopping_{false};

  std::mutex timer_handles_mutex_;
  std::map<std::uint64_t, TimerThread::Handle> timer_handles_;  // the node's timer id -> armed timer

  // Declared last, destroyed first: nothing runs on them once the rest is gone.
  WorkPool own_acceptor_;
  TimerThread timers_;
};

}  // namespace faultline::node
