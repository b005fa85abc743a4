// A quorum replica's durable state on top of DurableLog: the newest version of each key plus
// the timestamp reservation. Same durability and recovery rules as AcceptorStorage.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "../quorum/versioned.h"
#include "durable_log.h"

namespace faultline::storage {

struct ReplicaState {
  std::map<std::string, quorum::Versioned> records;
  std::int64_t timestamp_reserved = 0;
};

class ReplicaStorage {
 public:
  static constexpr const char* file_name = "replica.log";

  static std::expected<std::unique_ptr<ReplicaStorage>, std::string> open(const std::filesystem::path& dir,
                                                                          const DurableLogOptions& options);
  const ReplicaState& recovered() const { return recovered_; }
  // Empty when the log is complete; else what was lost (DurableLog::lost): the replica must not
  // answer, nor the coordinator draw timestamps from the reservation, with this state.
  const std::string& lost() const { return log_->lost(); }

  std::uint64_t append(const std::string& key, const quorum::Versioned& versioned);
  void wait_durable(std::uint64_t seq) { log_->wait_durable(seq); }
  void persist_timestamp_reservation(std::int64_t reserved) { log_->put(reservation_key, reserved); }
  DurableLogStats stats() const { return log_->stats(); }

 private:
  static constexpr const char* reservation_key = "timestamps";
  static constexpr const char* record_prefix = "key:";
  explicit ReplicaStorage(std::unique_ptr<DurableLog> log) : log_(std::move(log)) {}
  std::unique_ptr<DurableLog> log_;
  ReplicaState recovered_;
};

}  // namespace faultline::storage
