#include "paxos_service.h"

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
      acceptor_(storage_->recovered().records, options.bug),
      ballots_(static_cast<std::uint32_t>(options.self_index()), storage_->recovered().ballot_reserved),
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

OperationResult PaxosService::execute(const std::string& key, const RegisterCommand& command) {
  KeyLocks::Guard one_proposer_per_key(key_locks_, key);
  ProposerConfig config{peers_.size(), paxos_attempts_max, options_.bug};
  Proposer proposer(config, key, command);
  auto replies = std::make_shared<ReplyQueue>();
  std::optional<FastPath> fast;
  if (options_.fast_path) {
    std::lock_guard lock(fast_paths_mutex_);
    fast = fast_paths_.take(key);
  }
  // Each attempt's accept carries the prepare of the next ballot (unless fast paths are off).
  auto next_after = [&](const Ballot& ballot) { return options_.fast_path ? new_ballot(ballot.counter) : Ballot{}; };
  ProposerOutput out;
  if (fast) {
    ++fast_path_operations_;
    out = proposer.begin_accepting(fast->ballot, fast->value, next_after(fast->ballot));
  } else {
    const Ballot ballot = new_ballot(0);
    out = proposer.begin(ballot, next_after(ballot));
  }
  auto deadline = ReplyQueue::Clock::now();  // set with each broadcast
  ++attempts_;
  for (;;) {
    if (out.broadcast) {
      if (std::holds_alternative<Prepare>(*out.broadcast)) ++prepares_sent_;
      deadline = ReplyQueue::Clock::now() + std::chrono::milliseconds(attempt_timeout_ms);
      const std::string body = encode(*out.broadcast).dump();
      for (std::size_t i = 0; i < peers_.size(); ++i) {
        peers_[i]->post("/internal/paxos", body, [replies, i](std::optional<std::string> reply) {
          if (!reply) return;
          json parsed = json::parse(*reply, nullptr, false);
          if (!parsed.is_discarded()) replies->push(i, std::move(parsed));
        });
      }
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
    auto decoded = decode_acceptor_reply(reply->second);
    if (!decoded) continue;  // a peer speaking nonsense counts as no reply
    if (const auto* promise = std::get_if<Promise>(&*decoded); promise && !promise->ok) ++rejections_;
    if (const auto* accepted = std::get_if<Accepted>(&*decoded); accepted && !accepted->ok) ++rejections_;
    out = proposer.on_reply(static_cast<std::uint32_t>(reply->first), *decoded);
  }

  const ProposerResult& done = *out.done;
  OperationResult result;
  result.value = done.value;
  result.definite = done.definite;
  result.error = done.error;
  switch (done.status) {
    case ProposerResult::Status::ok:
      result.status = OperationResult::Status::ok;
      ++operations_ok_;
      break;
    case ProposerResult::Status::cas_mismatch:
      result.status = OperationResult::Status::cas_mismatch;
      ++cas_mismatches_;
      break;
    case ProposerResult::Status::failed:
      result.status = OperationResult::Status::failed;
      ++operations_failed_;
      break;
  }
  if (proposer.next_promised_by_majority()) {
    std::lock_guard lock(fast_paths_mutex_);
    fast_paths_.remember(key, FastPath{proposer.next_ballot(), proposer.value_after()});
  }
  if (done.status != ProposerResult::Status::failed) {
    // The learner: this node's proposer saw a quorum accept `ballot` for `key`.
    std::lock_guard lock(learned_mutex_);
    Ballot& learned = learned_[key];
    learned = std::max(learned, proposer.ballot());
  }
  return result;
}

AcceptorReply PaxosService::on_acceptor_request(const AcceptorRequest& request) {
  if (std::holds_alternative<Prepare>(request)) ++prepares_; else ++accepts_;
  std::unique_lock lock(acceptor_mutex_);
  AcceptorStep step = acceptor_.step(request);
  if (!step.to_persist) return step.reply;
  auto [key, record] = std::move(*step.to_persist);
  if (buggy_persister_) {
    // The planted bug: reply now, write later.
    lock.unlock();
    buggy_persister_->later([this, key, record] { storage_->persist(key, record); });
    return step.reply;
  }
  // The record's place in the log is fixed under the lock (records of one key stay in order);
  // the fsync is shared with concurrent requests (group commit) and waited for outside it.
  const std::uint64_t seq = storage_->append(key, record);
  lock.unlock();
  storage_->wait_durable(seq);
  return step.reply;
}

InternalReply PaxosService::internal(const std::string& protocol, const json& body) {
  if (protocol != "paxos") return {400, {{"error", "this node runs --protocol paxos, not " + protocol}}};
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
            {"fast_path_operations", fast_path_operations_.load()}}},
          {"fast_path", options_.fast_path},
          {"storage",
           {{"records_written", disk.records_written},
            {"fsyncs", disk.fsyncs},
            {"compactions", disk.compactions},
            {"recovered_records", disk.recovered_records},
            {"discarded_tail_bytes", disk.discarded_tail_bytes},
            {"file_bytes", disk.file_bytes}}}};
}

}  // namespace faultline::node
