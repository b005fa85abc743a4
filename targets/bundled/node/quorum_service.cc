#include "quorum_service.h"

#include <chrono>

#include "../quorum/sequential_txn.h"
#include "limits.h"
#include "reply_queue.h"
#include "wire.h"

namespace faultline::node {

using namespace faultline::quorum;
using nlohmann::json;

QuorumService::QuorumService(const NodeOptions& options, std::unique_ptr<storage::ReplicaStorage> storage,
                             std::vector<std::unique_ptr<PeerClient>> peers)
    : options_(options),
      storage_(std::move(storage)),
      peers_(std::move(peers)),
      replica_(storage_->recovered().records),
      timestamps_(static_cast<std::uint32_t>(options.self_index()), storage_->recovered().timestamp_reserved) {}

std::int64_t QuorumService::clock_us() const {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::microseconds>(now).count() + clock_offset_ms_.load() * 1000;
}

OperationResult QuorumService::execute(const std::string& key, const paxos::RegisterCommand& command) {
  // Its timestamp reservation may be among what was lost; nothing was done, so definite.
  if (!storage_->lost().empty()) return OperationResult{OperationResult::Status::failed, nullptr, true, state_lost_error(storage_->lost())};
  if (command.kind != paxos::RegisterCommand::Kind::txn) return execute_one(key, command);
  return quorum::run_sequential_txn(command.value, [this](const std::string& one_key, const paxos::RegisterCommand& one) {
    return execute_one(one_key, one);
  });
}

OperationResult QuorumService::execute_one(const std::string& key, const paxos::RegisterCommand& command) {
  // The coordinator may draw a timestamp in start() or on a reply; the TimestampSource is the
  // node's, so each step that may draw one holds its lock (steps are short and never block).
  Coordinator coordinator(options_.quorum, options_.self_index(), key, command, timestamps_, clock_us());
  auto replies = std::make_shared<ReplyQueue<json>>();
  auto deadline = ReplyQueue<json>::Clock::now();  // set with each round of sends
  auto step = [&](auto&& advance) {
    std::lock_guard lock(timestamps_mutex_);
    CoordinatorOutput out = advance();
    // Reservations only grow; persisting under the lock keeps them in order in the log.
    if (out.persist_timestamp_reservation != 0) storage_->persist_timestamp_reservation(out.persist_timestamp_reservation);
    return out;
  };
  CoordinatorOutput out = step([&] { return coordinator.start(); });
  for (;;) {
    if (!out.done && !out.send.empty())
      deadline = ReplyQueue<json>::Clock::now() + std::chrono::milliseconds(attempt_timeout_ms);
    for (const QuorumMessage& message : out.send) {
      const bool wanted = !out.done;  // after done: async read repair, replies unneeded
      peers_[message.to]->post("/internal/quorum", encode(message.request).dump(),
                               [replies, wanted, to = message.to](std::optional<json> reply) {
                                 if (reply && wanted) replies->push(to, std::move(*reply));
                               });
    }
    if (out.done) break;
    auto reply = replies->pop_until(deadline);
    if (!reply) {
      out = coordinator.on_timeout();
      continue;
    }
    auto decoded = decode_replica_reply(reply->second);
    if (!decoded) continue;
    out = step([&] { return coordinator.on_reply(reply->first, *decoded); });
  }
  const OperationResult& done = *out.done;
  switch (done.status) {
    case OperationResult::Status::ok: ++operations_ok_; break;
    case OperationResult::Status::cas_mismatch: ++cas_mismatches_; break;
    case OperationResult::Status::failed: ++operations_failed_; break;
  }
  return done;
}

ReplicaReply QuorumService::on_replica_request(const ReplicaRequest& request) {
  if (std::holds_alternative<ReadRequest>(request)) ++reads_received_; else ++writes_received_;
  std::unique_lock lock(replica_mutex_);
  ReplicaStep step = replica_.step(request);
  if (!step.to_persist) return step.reply;
  const std::uint64_t seq = storage_->append(step.to_persist->first, step.to_persist->second);
  lock.unlock();
  storage_->wait_durable(seq);
  return step.reply;
}

InternalReply QuorumService::internal(const std::string& protocol, const json& body) {
  if (protocol != "quorum") return {400, {{"error", "this node runs --protocol quorum, not " + protocol}}};
  // A replica that lost acknowledged versions would answer reads with older ones: it does not answer.
  if (!storage_->lost().empty()) return {503, {{"error", state_lost_error(storage_->lost())}}};
  auto request = decode_replica_request(body);
  if (!request) return {400, {{"error", "malformed replica request: " + request.error()}}};
  return {200, encode(on_replica_request(*request))};
}

json QuorumService::status() {
  json keys = json::object();
  {
    std::lock_guard lock(replica_mutex_);
    for (const auto& [key, versioned] : replica_.records()) {
      if (keys.size() >= status_keys_shown_max) break;
      keys[key] = {{"value", versioned.value}, {"timestamp", to_string(versioned.timestamp)}};
    }
  }
  const auto disk = storage_->stats();
  const char* repair = options_.quorum.read_repair == ReadRepair::off     ? "off"
                       : options_.quorum.read_repair == ReadRepair::async ? "async"
                                                                          : "sync";
  return {{"id", options_.id},
          {"protocol", "quorum"},
          {"role", "coordinator, replica"},
          {"node_number", options_.self_index()},
          {"cluster", options_.cluster()},
          {"bug", bundled::bug_name(options_.bug)},
          {"state_lost", storage_->lost().empty() ? json(nullptr) : json(storage_->lost())},
          {"write_quorum", options_.quorum.write_quorum},
          {"read_quorum", options_.quorum.read_quorum},
          {"read_repair", repair},
          {"timestamps", options_.quorum.timestamps == TimestampMode::lamport ? "lamport" : "wallclock"},
          {"clock_offset_ms", clock_offset_ms_.load()},
          {"keys", keys},
          {"counters",
           {{"operations_ok", operations_ok_.load()},
            {"operations_failed", operations_failed_.load()},
            {"cas_mismatches", cas_mismatches_.load()},
            {"replica_reads_received", reads_received_.load()},
            {"replica_writes_received", writes_received_.load()}}},
          {"storage",
           {{"records_written", disk.records_written},
            {"fsyncs", disk.fsyncs},
            {"compactions", disk.compactions},
            {"recovered_records", disk.recovered_records},
            {"discarded_tail_bytes", disk.discarded_tail_bytes},
            {"durable_length_at_open", disk.durable_length_at_open}}}};
}

}  // namespace faultline::node
