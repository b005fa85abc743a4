#include "coordinator.h"

namespace faultline::quorum {

using paxos::RegisterCommand;

Coordinator::Coordinator(const QuorumConfig& config, std::size_t self, std::string key, RegisterCommand command,
                         TimestampSource& timestamps, std::int64_t clock_us)
    : config_(config), self_(self), key_(std::move(key)), command_(std::move(command)), timestamps_(timestamps),
      clock_us_(clock_us) {}

CoordinatorOutput Coordinator::start() {
  if (command_.kind == RegisterCommand::Kind::txn) {
    // One coordinator runs one key's operation; the node runs a transaction as a sequence of
    // them (node/quorum_service.cc).
    phase_ = Phase::done;
    CoordinatorOutput out;
    out.done = bundled::OperationResult{bundled::OperationResult::Status::failed, nullptr, true,
                                        "a quorum coordinator does not run transactions"};
    return out;
  }
  if (command_.kind == RegisterCommand::Kind::write && config_.timestamps == TimestampMode::wallclock) {
    auto next = timestamps_.next_wallclock(clock_us_);
    return begin_write(Versioned{command_.value, next.timestamp}, next.reserve);
  }
  phase_ = Phase::reading;
  rounds_in_phase_ = 1;
  ++round_;
  CoordinatorOutput out;
  targets_.clear();
  if (command_.kind == RegisterCommand::Kind::read && config_.bug == bundled::Bug::quorum_local_read) {
    // The planted bug: "the local replica is one of the R anyway" — answer from it alone.
    reads_needed_ = 1;
    targets_.push_back(self_);
  } else {
    reads_needed_ = config_.read_quorum;
    for (std::size_t replica = 0; replica < config_.cluster_size; ++replica) targets_.push_back(replica);
  }
  for (std::size_t replica : targets_) out.send.push_back({replica, ReadRequest{key_}});
  return out;
}

CoordinatorOutput Coordinator::on_reply(std::size_t replica, const ReplicaReply& reply) {
  if (const auto* read = std::get_if<ReadReply>(&reply)) return on_read_reply(replica, *read);
  return on_write_ack(replica, std::get<WriteAck>(reply));
}

CoordinatorOutput Coordinator::on_read_reply(std::size_t replica, const ReadReply& reply) {
  if (phase_ != Phase::reading || reply.key != key_ || read_from_.contains(replica)) return {};
  read_from_.insert(replica);
  replies_.emplace_back(replica, reply.versioned.timestamp);
  if (read_from_.size() == 1 || reply.versioned.timestamp > newest_.timestamp) newest_ = reply.versioned;
  if (read_from_.size() < reads_needed_) return {};

  switch (command_.kind) {
    case RegisterCommand::Kind::read: {
      if (config_.read_repair == ReadRepair::sync && config_.bug != bundled::Bug::quorum_local_read)
        return begin_write(newest_, 0);
      CoordinatorOutput out = finish(bundled::OperationResult::Status::ok);
      if (config_.read_repair == ReadRepair::async) {
        for (const auto& [stale, timestamp] : replies_)
          if (timestamp < newest_.timestamp) out.send.push_back({stale, WriteRequest{key_, newest_}});
      }
      return out;
    }
    case RegisterCommand::Kind::write: {
      auto next = timestamps_.next_lamport(newest_.timestamp.counter);
      return begin_write(Versioned{command_.value, next.timestamp}, next.reserve);
    }
    case RegisterCommand::Kind::cas: {
      if (newest_.value != command_.from) return finish(bundled::OperationResult::Status::cas_mismatch);
      auto next = config_.timestamps == TimestampMode::lamport ? timestamps_.next_lamport(newest_.timestamp.counter)
                                                                : timestamps_.next_wallclock(clock_us_);
      return begin_write(Versioned{command_.to, next.timestamp}, next.reserve);
    }
    case RegisterCommand::Kind::txn: break;  // refused in start()
  }
  return {};
}

CoordinatorOutput Coordinator::begin_write(Versioned versioned, std::int64_t reservation) {
  phase_ = Phase::writing;
  rounds_in_phase_ = 1;
  ++round_;
  newest_ = std::move(versioned);
  CoordinatorOutput out;
  out.persist_timestamp_reservation = reservation;
  for (std::size_t replica = 0; replica < config_.cluster_size; ++replica)
    out.send.push_back({replica, WriteRequest{key_, newest_}});
  return out;
}

CoordinatorOutput Coordinator::on_write_ack(std::size_t replica, const WriteAck& ack) {
  if (phase_ != Phase::writing || ack.key != key_ || acked_by_.contains(replica)) return {};
  acked_by_.insert(replica);
  if (acked_by_.size() < config_.write_quorum) return {};
  return finish(bundled::OperationResult::Status::ok);
}

CoordinatorOutput Coordinator::finish(bundled::OperationResult::Status status) {
  phase_ = Phase::done;
  CoordinatorOutput out;
  bundled::OperationResult result;
  result.status = status;
  result.definite = true;
  if (command_.kind == RegisterCommand::Kind::read) result.value = newest_.value;
  out.done = std::move(result);
  return out;
}

CoordinatorOutput Coordinator::on_timeout() {
  if (phase_ != Phase::reading && phase_ != Phase::writing) return {};
  CoordinatorOutput out;
  if (rounds_in_phase_ < config_.max_rounds) {
    ++rounds_in_phase_;
    ++round_;
    if (phase_ == Phase::reading) {
      for (std::size_t replica : targets_)
        if (!read_from_.contains(replica)) out.send.push_back({replica, ReadRequest{key_}});
    } else {
      for (std::size_t replica = 0; replica < config_.cluster_size; ++replica)
        if (!acked_by_.contains(replica)) out.send.push_back({replica, WriteRequest{key_, newest_}});
    }
    return out;
  }
  bundled::OperationResult result;
  result.status = bundled::OperationResult::Status::failed;
  // A read changes nothing; a write or cas that sent its version may have been kept anywhere.
  result.definite = phase_ == Phase::reading || command_.kind == RegisterCommand::Kind::read;
  result.error = phase_ == Phase::reading ? "fewer than " + std::to_string(reads_needed_) + " replicas answered in time"
                                          : "fewer than " + std::to_string(config_.write_quorum) +
                                                " replicas acknowledged the write in time";
  phase_ = Phase::done;
  out.done = std::move(result);
  return out;
}

}  // namespace faultline::quorum
