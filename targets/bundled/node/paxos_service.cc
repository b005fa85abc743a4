#include "paxos_service.h"

#include <condition_variable>
#include <cstdio>
#include <thread>

#include "../paxos/proposer.h"
#include "limits.h"
#include "reply_queue.h"
#include "wire.h"

namespace faultline::node {

using namespace faultline::paxos;
using nlohmann::json;

PaxosService::PaxosService(const NodeOptions& options, std::unique_ptr<storage::AcceptorStorage> storage,
                           std::vector<std::unique_ptr<PeerClient>> peers)
    : options_(options),
      storage_(std::move(storage)),
      peers_(std::move(peers)),
      queues_(paxos_batch_commands_max),
      acceptor_(storage_->recovered().records, options.bug),
      ballots_(static_cast<std::uint32_t>(options.self_index()), storage_->recovered().ballot_reserved),
      leader_choice_(options.cluster().size(), options.self_index(), leader_suspicion_ms, leader_slow_ms),
      random_(std::random_device{}()) {
  if (options.bug == bundled::Bug::paxos_reply_before_persist)
    buggy_persister_ = std::make_unique<BackgroundPersister>(buggy_persist_lag_ms);
}

Ballot PaxosService::new_ballot(std::uint64_t above) {
  std::lock_guard lock(ballots_mutex_);
  const BallotSource::Next next = ballots_.next(above);
  // Durable before the ballot leaves the node: a restart must never reuse a counter.
  if (next.reserve != 0) storage_->persist_ballot_reservation(next.reserve);
  return next.ballot;
}

std::int64_t PaxosService::backoff_ms(int attempt) {
  std::lock_guard lock(random_mutex_);
  return static_cast<std::int64_t>(random_() % static_cast<std::uint64_t>(backoff_max_ms * attempt + 1));
}

namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}


}  // namespace

// A client operation waiting in this node's key queues: for its batch's result, or for its turn
// to run the next batch on its key (the thread of one of the batch's operations runs it).
struct PaxosService::Waiter {
  RegisterCommand command;
  std::optional<OperationResult> result;
  std::vector<std::uint64_t> batch_to_run;
  std::condition_variable wake;
  std::int64_t deadline_ms = 0;  // steady clock: not started by then, not started at all
};

OperationResult PaxosService::execute(const std::string& key, const RegisterCommand& command) {
  if (options_.proposers != NodeOptions::Proposers::leader) return propose_here(key, command);
  const std::size_t self = options_.self_index();
  bool counted = false;
  for (;;) {
    std::size_t leader;
    const std::int64_t started = steady_ms();
    {
      std::lock_guard lock(leader_mutex_);
      leader = leader_choice_.leader(started);
      if (leader != self) leader_choice_.forward_started(leader, started);
    }
    if (leader == self) return propose_here(key, command);
    if (!counted) ++operations_forwarded_;
    counted = true;
    const PeerReply reply = peers_[leader]->call("/internal/forward", encode(ForwardedOperation{key, command}).dump(),
                                                 forward_request_timeout_ms, forward_connect_timeout_ms);
    std::optional<OperationResult> result;
    if (reply.body) {
      if (auto decoded = decode_operation_result(json::parse(*reply.body, nullptr, false))) result = *decoded;
    }
    {
      std::lock_guard lock(leader_mutex_);
      leader_choice_.forward_ended(leader, started, result.has_value(), steady_ms());
    }
    if (result) return *result;
    ++forwards_failed_;
    std::fprintf(stderr, "faultline-node %s: a forward to %s got no answer after %lld ms (%s%s)\n", options_.id.c_str(),
                 options_.cluster()[leader].c_str(), static_cast<long long>(steady_ms() - started),
                 reply.body ? "an answer that is not an operation's result" : reply.error.c_str(),
                 reply.maybe_delivered ? "" : "; nothing was sent");
    // Nothing reached the leader: ask the next candidate (in the end this node itself).
    if (!reply.maybe_delivered) continue;
    OperationResult unknown;
    unknown.status = OperationResult::Status::failed;
    // A read changes nothing, so a lost one certainly did not take effect.
    unknown.definite = command.kind == RegisterCommand::Kind::read;
    unknown.error = "forwarded to the leader " + options_.cluster()[leader] + ", which did not answer" +
                    (unknown.definite ? "" : ": the outcome is unknown");
    return unknown;
  }
}

OperationResult PaxosService::propose_here(const std::string& key, const RegisterCommand& command) {
  Waiter me{command, std::nullopt, {}, {}, steady_ms() + key_queue_wait_ms_max};
  std::unique_lock lock(queues_mutex_);
  const std::uint64_t id = next_waiter_++;
  waiters_.emplace(id, &me);
  std::vector<std::uint64_t> batch = queues_.arrive(key, id);
  while (!me.result) {
    if (batch.empty()) {
      me.wake.wait(lock, [&] { return me.result || !me.batch_to_run.empty(); });
      batch = std::move(me.batch_to_run);
      me.batch_to_run.clear();
      continue;
    }
    std::vector<RegisterCommand> commands;
    for (std::uint64_t waiting : batch) commands.push_back(waiters_.at(waiting)->command);
    lock.unlock();
    ProposerResult done;
    try {
      done = run_batch(key, std::move(commands));
    } catch (const std::exception& e) {
      done.chosen = false;
      done.definite = false;
      done.error = std::string("internal error: ") + e.what();
    }
    lock.lock();
    for (std::size_t i = 0; i < batch.size(); ++i) answer(batch[i], done.command(i));
    batch.clear();
    start_next_batch(key);
  }
  return *me.result;
}

void PaxosService::answer(std::uint64_t waiter, OperationResult result) {
  auto it = waiters_.find(waiter);
  it->second->result = std::move(result);
  it->second->wake.notify_one();
  waiters_.erase(it);
}

void PaxosService::start_next_batch(const std::string& key) {
  const std::int64_t now = steady_ms();
  for (;;) {
    std::vector<std::uint64_t> next = queues_.finish(key);
    if (next.empty()) return;  // the key is idle
    // Operations that waited too long are not started (limits.h key_queue_wait_ms_max): no
    // operation runs long after its client stopped waiting.
    std::erase_if(next, [&](std::uint64_t waiter) {
      if (waiters_.at(waiter)->deadline_ms > now) return false;
      OperationResult late;
      late.status = OperationResult::Status::failed;
      late.definite = true;
      late.error = "waited over " + std::to_string(key_queue_wait_ms_max) +
                   " ms behind earlier operations on the key; not started";
      ++operations_not_started_;
      answer(waiter, std::move(late));
      return true;
    });
    if (next.empty()) continue;  // all too late: the ones still waiting, if any, go next
    // The batch runs on the thread of its first operation.
    Waiter* runner = waiters_.at(next.front());
    runner->batch_to_run = std::move(next);
    runner->wake.notify_one();
    return;
  }
}

void PaxosService::broadcast(const AcceptorRequest& request, const std::shared_ptr<AcceptorReplies>& replies) {
  const std::string body = encode(request).dump();
  const std::size_t self = options_.self_index();
  for (std::size_t i = 0; i < peers_.size(); ++i) {
    if (i == self) continue;
    peers_[i]->post("/internal/paxos", body, [replies, i](std::optional<json> reply) {
      if (!reply) return;
      // A peer speaking nonsense counts as no reply.
      if (auto decoded = decode_acceptor_reply(*reply)) replies->push(i, std::move(*decoded));
    });
  }
  // This node's own acceptor answers in this thread (its fsync overlaps the peers' round trips).
  replies->push(self, on_acceptor_request(request));
}

ProposerResult PaxosService::run_batch(const std::string& key, std::vector<RegisterCommand> commands) {
  const std::size_t count = commands.size();
  ProposerConfig config{peers_.size(), paxos_attempts_max, options_.bug};
  Proposer proposer(config, key, std::move(commands));
  auto replies = std::make_shared<AcceptorReplies>();
  std::optional<FastPath> fast;
  if (options_.fast_path) {
    std::lock_guard lock(fast_paths_mutex_);
    fast = fast_paths_.take(key);
  }
  // Each attempt's accept carries the prepare of the next ballot (unless fast paths are off).
  auto next_after = [&](const Ballot& ballot) { return options_.fast_path ? new_ballot(ballot.counter) : Ballot{}; };
  ProposerOutput out;
  if (fast) {
    if (!proposer.reads_only()) ++fast_path_operations_;
    out = proposer.begin_fast(fast->ballot, fast->value, [&] { return next_after(fast->ballot); });
  } else {
    const Ballot ballot = new_ballot(0);
    out = proposer.begin(ballot, next_after(ballot));
  }
  ++batches_;
  if (count > 1) batched_operations_ += count;
  auto deadline = AcceptorReplies::Clock::now();  // set with each broadcast
  ++attempts_;
  for (;;) {
    if (out.broadcast) {
      if (std::holds_alternative<Prepare>(*out.broadcast)) ++prepares_sent_;
      deadline = AcceptorReplies::Clock::now() + std::chrono::milliseconds(attempt_timeout_ms);
      broadcast(*out.broadcast, replies);
    }
    if (out.done) break;
    if (out.retry_above) {
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms(proposer.attempts())));
      const Ballot ballot = new_ballot(*out.retry_above);
      out = proposer.begin(ballot, next_after(ballot));
      ++attempts_;
      continue;
    }
    auto reply = replies->pop_until(deadline);
    if (!reply) {
      out = proposer.on_timeout();
      continue;
    }
    const AcceptorReply& answer = reply->second;
    if (const auto* promise = std::get_if<Promise>(&answer); promise && !promise->ok) ++rejections_;
    if (const auto* accepted = std::get_if<Accepted>(&answer); accepted && !accepted->ok) ++rejections_;
    out = proposer.on_reply(static_cast<std::uint32_t>(reply->first), answer);
  }

  ProposerResult done = std::move(*out.done);
  if (!done.chosen) {
    operations_failed_ += count;
  } else {
    for (const Applied& applied : done.each) ++(applied.cas_mismatch ? cas_mismatches_ : operations_ok_);
  }
  if (proposer.confirmed()) {
    ++confirmed_reads_;
  } else if (done.chosen) {
    // The learner: this node's proposer saw a quorum accept `ballot` for `key`.
    std::lock_guard lock(learned_mutex_);
    Ballot& learned = learned_[key];
    learned = std::max(learned, proposer.ballot());
  }
  if (proposer.next_promised_by_majority()) {
    std::lock_guard lock(fast_paths_mutex_);
    fast_paths_.remember(key, FastPath{proposer.next_ballot(), proposer.value_after()});
  }
  return done;
}

std::uint64_t PaxosService::step_acceptor_locked(const AcceptorRequest& request, AcceptorReply& reply) {
  if (std::holds_alternative<Prepare>(request)) ++prepares_;
  else if (std::holds_alternative<Confirm>(request)) ++confirms_;
  else ++accepts_;
  AcceptorStep step = acceptor_.step(request);
  reply = std::move(step.reply);
  if (!step.to_persist) return 0;
  auto [key, record] = std::move(*step.to_persist);
  if (buggy_persister_) {
    // The planted bug: reply now, write later.
    buggy_persister_->later([this, key, record] { storage_->persist(key, record); });
    return 0;
  }
  // The record's place in the log is fixed under the lock (records of one key stay in order);
  // the fsync is shared with concurrent requests (group commit) and waited for outside it.
  return storage_->append(key, record);
}

json PaxosService::on_acceptor_batch(const json& requests) {
  // One lock and one shared fsync for the whole batch: every record is appended in order, and
  // the replies leave once the last one is durable.
  json replies = json::array();
  std::uint64_t last = 0;
  {
    std::lock_guard lock(acceptor_mutex_);
    for (const json& body : requests) {
      auto request = decode_acceptor_request(body);
      if (!request) {
        replies.push_back({{"error", "malformed acceptor request: " + request.error()}});
        continue;
      }
      AcceptorReply reply;
      if (const std::uint64_t seq = step_acceptor_locked(*request, reply)) last = seq;
      replies.push_back(encode(reply));
    }
  }
  if (last != 0) storage_->wait_durable(last);
  return replies;
}

AcceptorReply PaxosService::on_acceptor_request(const AcceptorRequest& request) {
  AcceptorReply reply;
  std::uint64_t seq;
  {
    std::lock_guard lock(acceptor_mutex_);
    seq = step_acceptor_locked(request, reply);
  }
  if (seq != 0) storage_->wait_durable(seq);
  return reply;
}

InternalReply PaxosService::internal(const std::string& protocol, const json& body) {
  if (protocol == "forward") {
    auto operation = decode_forwarded_operation(body);
    if (!operation) return {400, {{"error", "malformed forwarded operation: " + operation.error()}}};
    // Proposed here whoever this node thinks leads: forwarding once never loops.
    return {200, encode(propose_here(operation->key, operation->command))};
  }
  if (protocol != "paxos") return {400, {{"error", "this node runs --protocol paxos, not " + protocol}}};
  if (body.is_array()) return {200, on_acceptor_batch(body)};
  auto request = decode_acceptor_request(body);
  if (!request) return {400, {{"error", "malformed acceptor request: " + request.error()}}};
  return {200, encode(on_acceptor_request(*request))};
}

json PaxosService::status() {
  json keys = json::object();
  {
    std::lock_guard lock(acceptor_mutex_);
    for (const auto& [key, record] : acceptor_.records()) {
      if (keys.size() >= status_keys_shown_max) break;
      keys[key] = {{"promised", to_string(record.promised)}, {"accepted", to_string(record.accepted)},
                   {"accepted_value", record.value}};
    }
  }
  {
    std::lock_guard lock(learned_mutex_);
    for (auto& [key, entry] : keys.items()) {
      if (auto it = learned_.find(key); it != learned_.end()) entry["learned_ballot"] = to_string(it->second);
    }
  }
  std::uint64_t reserved;
  {
    std::lock_guard lock(ballots_mutex_);
    reserved = ballots_.reserved();
  }
  const auto disk = storage_->stats();
  return {{"id", options_.id},
          {"protocol", "paxos"},
          {"role", "proposer, acceptor, learner"},
          {"node_number", options_.self_index()},
          {"cluster", options_.cluster()},
          {"bug", bundled::bug_name(options_.bug)},
          {"ballot_reserved", reserved},
          {"keys", keys},
          {"counters",
           {{"operations_ok", operations_ok_.load()},
            {"operations_failed", operations_failed_.load()},
            {"cas_mismatches", cas_mismatches_.load()},
            {"proposer_attempts", attempts_.load()},
            {"rejections_seen", rejections_.load()},
            {"prepares_received", prepares_.load()},
            {"accepts_received", accepts_.load()},
            {"prepare_rounds_sent", prepares_sent_.load()},
            {"fast_path_operations", fast_path_operations_.load()},
            {"batches", batches_.load()},
            {"confirmed_read_batches", confirmed_reads_.load()},
            {"confirms_received", confirms_.load()},
            {"operations_forwarded", operations_forwarded_.load()},
            {"forwards_failed", forwards_failed_.load()},
            {"operations_not_started", operations_not_started_.load()},
            {"batched_operations", batched_operations_.load()}}},
          {"fast_path", options_.fast_path},
          {"proposers", options_.proposers == NodeOptions::Proposers::leader ? "leader" : "every-node"},
          {"storage",
           {{"records_written", disk.records_written},
            {"fsyncs", disk.fsyncs},
            {"compactions", disk.compactions},
            {"recovered_records", disk.recovered_records},
            {"discarded_tail_bytes", disk.discarded_tail_bytes},
            {"file_bytes", disk.file_bytes}}}};
}

}  // namespace faultline::node
