// The Paxos acceptor's durable state on top of DurableLog: one record per key (promised and
// accepted ballots, accepted value) plus the proposer's ballot reservation. persist() returns
// once the record is fsynced; concurrent callers share fsyncs.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "../paxos/acceptor.h"
#include "durable_log.h"

namespace faultline::storage {

struct AcceptorState {
  std::map<std::string, paxos::AcceptorRecord> records;
  std::uint64_t ballot_reserved = 0;
};

// The record as JSON and back; nullopt when the JSON is not a record.
nlohmann::json encode_acceptor_record(const paxos::AcceptorRecord& record);
std::optional<paxos::AcceptorRecord> decode_acceptor_record(const nlohmann::json& json);

class AcceptorStorage {
 public:
  static constexpr const char* file_name = "acceptor.log";

  // Opens the data directory; the error names the file and what is wrong.
  static std::expected<std::unique_ptr<AcceptorStorage>, std::string> open(const std::filesystem::path& dir,
                                                                            const DurableLogOptions& options);
  const AcceptorState& recovered() const { return recovered_; }
  // Empty when the log is complete; else what was lost (DurableLog::lost): the acceptor must
  // not vote, nor the proposer draw ballots from the reservation, with this state.
  const std::string& lost() const { return log_->lost(); }

  void persist(const std::string& key, const paxos::AcceptorRecord& record) { wait_durable(append(key, record)); }
  // persist() in two halves (see DurableLog::append): order under the acceptor's lock, wait outside.
  std::uint64_t append(const std::string& key, const paxos::AcceptorRecord& record);
  void wait_durable(std::uint64_t seq) { log_->wait_durable(seq); }
  void persist_ballot_reservation(std::uint64_t reserved);
  DurableLogStats stats() const { return log_->stats(); }

 private:
  explicit AcceptorStorage(std::unique_ptr<DurableLog> log) : log_(std::move(log)) {}
  std::unique_ptr<DurableLog> log_;
  AcceptorState recovered_;
};

}  // namespace faultline::storage
