// The quorum adapter: drives a Coordinator per client operation with real peers (HTTP), hosts
// this node's Replica behind POST /internal/quorum (persisting before replying), and owns the
// wall clock and its offset (POST /admin/clock) that wall-clock timestamps read.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "../quorum/coordinator.h"
#include "../quorum/replica.h"
#include "../storage/replica_storage.h"
#include "kv_service.h"
#include "options.h"
#include "peer_client.h"

namespace faultline::node {

class QuorumService final : public KvService {
 public:
  // `peers`: one client per node in NodeOptions::cluster() order, this node's own included.
  QuorumService(const NodeOptions& options, std::unique_ptr<storage::ReplicaStorage> storage,
                std::vector<std::unique_ptr<PeerClient>> peers);

  OperationResult execute(const std::string& key, const paxos::RegisterCommand& command) override;
  InternalReply internal(const std::string& protocol, const nlohmann::json& body) override;
  nlohmann::json status() override;
  void set_clock_offset_ms(std::int64_t offset_ms) override { clock_offset_ms_ = offset_ms; }

 private:
  // One key's read, write or cas through a quorum coordinator (a transaction is a sequence of
  // them: quorum/sequential_txn.h).
  OperationResult execute_one(const std::string& key, const paxos::RegisterCommand& command);
  quorum::ReplicaReply on_replica_request(const quorum::ReplicaRequest& request);
  std::int64_t clock_us() const;

  NodeOptions options_;
  std::unique_ptr<storage::ReplicaStorage> storage_;
  std::vector<std::unique_ptr<PeerClient>> peers_;
  std::mutex replica_mutex_;
  quorum::Replica replica_;
  std::mutex timestamps_mutex_;
  quorum::TimestampSource timestamps_;
  std::atomic<std::int64_t> clock_offset_ms_{0};
  std::atomic<std::uint64_t> operations_ok_{0}, operations_failed_{0}, cas_mismatches_{0};
  std::atomic<std::uint64_t> reads_received_{0}, writes_received_{0};
};

}  // namespace faultline::node
