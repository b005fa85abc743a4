#include "paxos_service.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "limits.h"
#include "wire.h"

namespace faultline::node {

using namespace faultline::paxos;
using nlohmann::json;

namespace {

std::int64_t steady_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(TimerThread::Clock::now().time_since_epoch()).count();
}

TimerThread::Clock::time_point steady_at(std::int64_t us) {
  return TimerThread::Clock::time_point(std::chrono::microseconds(us));
}

PaxosNodeConfig node_config(const NodeOptions& options) {
  PaxosNodeConfig config;
  config.cluster_size = options.cluster().size();
  config.self = options.self_index();
  config.bug = options.bug;
  config.fast_path = options.fast_path;
  config.leader_proposers = options.proposers == NodeOptions::Proposers::leader;
  config.batch_max = paxos_batch_commands_max;
  config.max_attempts = paxos_attempts_max;
  config.attempt_timeout_us = attempt_timeout_ms * 1000;
  config.backoff_max_us = backoff_max_ms * 1000;
  config.key_queue_wait_us_max = key_queue_wait_ms_max * 1000;
  config.leader_suspicion_us = leader_suspicion_ms * 1000;
  config.leader_slow_us = leader_slow_ms * 1000;
  config.random_seed = std::random_device{}();
  return config;
}

PaxosNodeDurable recovered(const storage::AcceptorStorage& storage) {
  return PaxosNodeDurable{storage.recovered().records, storage.recovered().ballot_reserved};
}

}  // namespace

PaxosService::PaxosService(const NodeOptions& options, std::unique_ptr<storage::AcceptorStorage> storage,
                           std::vector<std::unique_ptr<PeerClient>> peers)
    : options_(options),
      storage_(std::move(storage)),
      peers_(std::move(peers)),
      node_(node_config(options), recovered(*storage_)),
      own_acceptor_(own_acceptor_threads) {}

PaxosService::~PaxosService() {
  // Threads that step the node stop one kind after the other; whatever they still hand to a
  // stopped one is dropped. The peers go last: the others may still post to them.
  stopping_ = true;
  own_acceptor_.stop();
  timers_.stop();
  peers_.clear();
}

void PaxosService::log(const std::string& line) const {
  std::fprintf(stderr, "faultline-node %s: %s\n", options_.id.c_str(), line.c_str());
}

Ready PaxosService::step_appending(const PaxosEvent& event, std::uint64_t& last) {
  Ready ready;
  last = 0;
  {
    std::lock_guard lock(node_mutex_);
    ready = node_.step(event, steady_us());
    // Durable before the ballot leaves the node: a restart must never reuse a counter.
    if (ready.ballot_reservation != 0) storage_->persist_ballot_reservation(ready.ballot_reservation);
    // Each record's place in the log is fixed under the lock (records of one key stay in
    // order); the fsync is shared with concurrent steps (group commit) and waited for outside.
    if (!ready.records_may_lag)
      for (const auto& [key, record] : ready.records) last = storage_->append(key, record);
  }
  if (ready.records_may_lag) persist_late(ready.records);
  return ready;
}

void PaxosService::persist_late(const std::vector<std::pair<std::string, AcceptorRecord>>& records) {
  // The planted bug paxos-reply-before-persist: the reply has left; the write lands later.
  for (const auto& [key, record] : records)
    timers_.at(TimerThread::Clock::now() + std::chrono::milliseconds(buggy_persist_lag_ms),
               [this, key, record] { storage_->persist(key, record); });
}

Ready PaxosService::step_durably(const PaxosEvent& event) {
  std::uint64_t last = 0;
  Ready ready = step_appending(event, last);
  if (last != 0) storage_->wait_durable(last);
  return ready;
}

void PaxosService::step(const PaxosEvent& event) {
  Ready ready;
  try {
    ready = step_durably(event);
  } catch (const std::exception& e) {
    // The disk failed: nothing of this step may leave the node.
    log(std::string("a step failed, its effects are dropped: ") + e.what());
    return;
  }
  carry_out(ready);
}

void PaxosService::carry_out(Ready& ready) {
  if (stopping_) return;
  for (const std::string& line : ready.log) log(line);
  const std::size_t self = options_.self_index();
  std::string body;
  std::uint64_t encoded_tag = 0;  // the sends of one broadcast share its tag and come together
  std::vector<const Send*> own;
  for (const Send& send : ready.sends) {
    if (send.to == self) {
      own.push_back(&send);
      continue;
    }
    if (send.tag != encoded_tag) {
      body = encode(send.request).dump();
      encoded_tag = send.tag;
    }
    peers_[send.to]->post("/internal/paxos", body, [this, from = send.to, tag = send.tag](std::optional<json> reply) {
      if (!reply) return;
      // A peer speaking nonsense counts as no reply.
      if (auto decoded = decode_acceptor_reply(*reply)) step(AcceptorReplyIn{from, tag, std::move(*decoded)});
    });
  }
  // This node's acceptor, after the peers' requests are out: its record joins the log at once
  // (and the next shared fsync); the wait for the disk runs on the pool, so that no thread that
  // carries peers' replies or timers waits for it.
  for (const Send* send : own) {
    std::uint64_t last = 0;
    Ready answered;
    try {
      answered = step_appending(AcceptorRequestIn{send->request}, last);
    } catch (const std::exception& e) {
      log(std::string("this node's acceptor failed to persist, its reply is dropped: ") + e.what());
      continue;
    }
    if (!answered.acceptor_reply) continue;
    AcceptorReplyIn reply{self, send->tag, std::move(*answered.acceptor_reply)};
    if (last == 0) {
      step(reply);
      continue;
    }
    own_acceptor_.run_later([this, last, reply = std::move(reply)] {
      storage_->wait_durable(last);
      step(reply);
    });
  }
  for (ClientAnswer& client : ready.answers) answer(client.id, std::move(client.result));
  for (const TimerRequest& timer : ready.timers) {
    const TimerThread::Handle handle = timers_.at(steady_at(timer.at_us), [this, id = timer.id] {
      forget_timer(id);
      step(TimerDue{id});
    });
    std::lock_guard lock(timer_handles_mutex_);
    timer_handles_[timer.id] = handle;
  }
  for (std::uint64_t id : ready.cancelled_timers) {
    std::lock_guard lock(timer_handles_mutex_);
    auto it = timer_handles_.find(id);
    if (it == timer_handles_.end()) continue;  // not armed yet, or running: it will change nothing
    timers_.cancel(it->second);
    timer_handles_.erase(it);
  }
  // Forwards come only from steps of a client operation's own thread (its arrival, or the
  // end of its forward), which waits for it anyway.
  for (const Forward& forward : ready.forwards) {
    const PeerReply reply = peers_[forward.to]->call("/internal/forward",
                                                     encode(ForwardedOperation{forward.key, forward.command}).dump(),
                                                     forward_request_timeout_ms, forward_connect_timeout_ms);
    ForwardAnswered answered{forward.id, std::nullopt, reply.maybe_delivered, reply.error};
    if (reply.body) {
      if (auto decoded = decode_operation_result(json::parse(*reply.body, nullptr, false))) answered.result = *decoded;
      else answered.error = "an answer that is not an operation's result";
    }
    step(answered);
  }
}

void PaxosService::forget_timer(std::uint64_t id) {
  std::lock_guard lock(timer_handles_mutex_);
  timer_handles_.erase(id);
}

void PaxosService::answer(std::uint64_t id, OperationResult result) {
  std::lock_guard lock(waiters_mutex_);
  auto it = waiters_.find(id);
  if (it == waiters_.end()) return;
  it->second->result = std::move(result);
  it->second->answered.notify_one();
  waiters_.erase(it);
}

OperationResult PaxosService::run_operation(const std::string& key, const RegisterCommand& command, bool forwarded) {
  Waiter me;
  std::uint64_t id;
  {
    std::lock_guard lock(waiters_mutex_);
    id = next_operation_++;
    waiters_.emplace(id, &me);
  }
  step(ClientOperation{id, key, command, forwarded});
  std::unique_lock lock(waiters_mutex_);
  me.answered.wait(lock, [&] { return me.result.has_value(); });
  return *me.result;
}

OperationResult PaxosService::execute(const std::string& key, const RegisterCommand& command) {
  // Its ballot reservation may be among what was lost: a ballot drawn from it could repeat one
  // already sent. Nothing was done, so the failure is definite.
  if (!storage_->lost().empty()) return OperationResult{OperationResult::Status::failed, nullptr, true, state_lost_error(storage_->lost())};
  return run_operation(key, command, false);
}

json PaxosService::on_acceptor_batch(const json& requests) {
  // One lock and one shared fsync for the whole batch: every record is appended in order, and
  // the replies leave once the last one is durable.
  json replies = json::array();
  std::uint64_t last = 0;
  std::vector<std::pair<std::string, AcceptorRecord>> lagging;
  {
    std::lock_guard lock(node_mutex_);
    const std::int64_t now = steady_us();
    for (const json& body : requests) {
      auto request = decode_acceptor_request(body);
      if (!request) {
        replies.push_back({{"error", "malformed acceptor request: " + request.error()}});
        continue;
      }
      Ready ready = node_.step(AcceptorRequestIn{*request}, now);
      for (auto& record : ready.records) {
        if (ready.records_may_lag) lagging.push_back(std::move(record));
        else last = storage_->append(record.first, record.second);
      }
      replies.push_back(encode(*ready.acceptor_reply));
    }
  }
  persist_late(lagging);
  if (last != 0) storage_->wait_durable(last);
  return replies;
}

InternalReply PaxosService::internal(const std::string& protocol, const json& body) {
  // A non-voter: no promise, accept or confirmation, and no forwarded operation. A peer takes a
  // non-200 answer for no answer.
  if (!storage_->lost().empty()) return {503, {{"error", state_lost_error(storage_->lost())}}};
  if (protocol == "forward") {
    auto operation = decode_forwarded_operation(body);
    if (!operation) return {400, {{"error", "malformed forwarded operation: " + operation.error()}}};
    return {200, encode(run_operation(operation->key, operation->command, true))};
  }
  if (protocol != "paxos") return {400, {{"error", "this node runs --protocol paxos, not " + protocol}}};
  if (body.is_array()) return {200, on_acceptor_batch(body)};
  auto request = decode_acceptor_request(body);
  if (!request) return {400, {{"error", "malformed acceptor request: " + request.error()}}};
  Ready ready = step_durably(AcceptorRequestIn{*request});
  return {200, encode(*ready.acceptor_reply)};
}

json PaxosService::status() {
  json keys = json::object();
  std::lock_guard lock(node_mutex_);
  for (const auto& [key, record] : node_.acceptor().records()) {
    if (keys.size() >= status_keys_shown_max) break;
    json entry = {{"promised", to_string(record.promised)},
                  {"accepted", to_string(record.accepted)},
                  {"accepted_value", record.value}};
    if (auto it = node_.learned().find(key); it != node_.learned().end()) entry["learned_ballot"] = to_string(it->second);
    keys[key] = std::move(entry);
  }
  const PaxosNodeCounters& c = node_.counters();
  const auto disk = storage_->stats();
  return {{"id", options_.id},
          {"protocol", "paxos"},
          {"role", "proposer, acceptor, learner"},
          {"node_number", options_.self_index()},
          {"cluster", options_.cluster()},
          {"bug", bundled::bug_name(options_.bug)},
          {"state_lost", storage_->lost().empty() ? json(nullptr) : json(storage_->lost())},
          {"ballot_reserved", node_.ballot_reserved()},
          {"keys", keys},
          {"counters",
           {{"operations_ok", c.operations_ok},
            {"operations_failed", c.operations_failed},
            {"cas_mismatches", c.cas_mismatches},
            {"proposer_attempts", c.attempts},
            {"rejections_seen", c.rejections},
            {"prepares_received", c.prepares},
            {"accepts_received", c.accepts},
            {"prepare_rounds_sent", c.prepares_sent},
            {"fast_path_operations", c.fast_path_operations},
            {"batches", c.batches},
            {"confirmed_read_batches", c.confirmed_reads},
            {"confirms_received", c.confirms},
            {"operations_forwarded", c.operations_forwarded},
            {"forwards_failed", c.forwards_failed},
            {"operations_not_started", c.operations_not_started},
            {"batched_operations", c.batched_operations}}},
          {"fast_path", options_.fast_path},
          {"proposers", options_.proposers == NodeOptions::Proposers::leader ? "leader" : "every-node"},
          {"storage",
           {{"records_written", disk.records_written},
            {"fsyncs", disk.fsyncs},
            {"compactions", disk.compactions},
            {"recovered_records", disk.recovered_records},
            {"discarded_tail_bytes", disk.discarded_tail_bytes},
            {"durable_length_at_open", disk.durable_length_at_open},
            {"file_bytes", disk.file_bytes}}}};
}

}  // namespace faultline::node
