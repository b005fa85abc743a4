// A durable key -> JSON map kept as an append-only log of records, each framed as
//   [u32 payload length][u32 CRC-32C of the payload][payload: {"k": key, "v": value}]
// (little-endian). The last record for a key wins.
//
// put() returns only after the record is written and fsynced. Concurrent callers share one
// write and one fsync (group commit): the first waiter writes everything queued so far.
// When the file grows past `compact_min_bytes` and holds mostly overwritten records, it is
// rewritten with only the live records (written to a temporary file, fsynced, renamed).
//
// Beside the log, <file>.durable-length (durable_length.h) records how many bytes of it were
// fsynced before any caller was told its record was durable: put() returns only once both the
// log and that record are fsynced. With fsync off (DurableLogOptions::fsync) there is no such
// record: nothing is durable, and any damage is taken for a torn tail.
//
// Recovery (open): bytes beyond the durable length were never acknowledged, so damage there
// (a header or payload cut short by the end of the file, a bad checksum, an absurd length) is
// a torn write: the log is truncated at it. Damage before the durable length (a flipped bit in
// an acknowledged record), a log shorter than it (acknowledged records cut off), or a missing or
// damaged durable-length record is a loss: open() still succeeds, with what it could read, but
// lost() says what is missing and the log takes no appends. The node must not vote with such a
// state (targets/bundled/README.md, "Damaged data files"). A record whose checksum matches but
// whose payload is no record is a bug, not damage: open() refuses, naming the file and offset.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::storage {

struct DurableLogOptions {
  bool fsync = true;
  // Never compact a log smaller than this. Compaction holds the log's lock through its writes,
  // fsync, rename and directory fsync, which stalls every append; on a busy disk that took
  // seconds (bench/node_vs_etcd.sh at 4 MiB: a cell with one node frozen 4 s). At 64 MiB a
  // benchmark run never compacts; taking compaction off the append path is the real fix.
  std::size_t compact_min_bytes = 64u << 20;
  std::size_t record_max_bytes = 16u << 20;  // a longer length field means corruption
  // The planted bug trust-damaged-log (bugs.h): any damage is taken for a torn tail — the log
  // keeps the records before it, is truncated there, and lost() stays empty.
  bool trust_damaged = false;
};

struct DurableLogStats {
  std::uint64_t records_written = 0;
  std::uint64_t fsyncs = 0;
  std::uint64_t compactions = 0;
  std::uint64_t recovered_records = 0;
  std::uint64_t discarded_tail_bytes = 0;  // torn last record dropped at open
  std::uint64_t durable_length_at_open = 0;  // what the durable-length record said (0: none)
  std::uint64_t file_bytes = 0;
};

class DurableLog {
 public:
  // Opens (creating when absent) `dir`/`file_name`. The error is a message for people.
  static std::expected<std::unique_ptr<DurableLog>, std::string> open(const std::filesystem::path& dir,
                                                                       const std::string& file_name,
                                                                       const DurableLogOptions& options);
  ~DurableLog();
  DurableLog(const DurableLog&) = delete;
  DurableLog& operator=(const DurableLog&) = delete;

  // The live records found at open.
  const std::map<std::string, nlohmann::json>& recovered() const { return recovered_; }
  // Empty when the log holds every record ever acknowledged; else what was lost, for people
  // ("test.log: 812 bytes, shorter than the 1630 bytes recorded durable"). A lost log takes no
  // appends (they throw).
  const std::string& lost() const { return lost_; }

  // Appends a record for `key` and returns once it is durable. Throws std::runtime_error when
  // the disk fails (the node cannot promise anything then).
  void put(const std::string& key, const nlohmann::json& value) { wait_durable(append(key, value)); }

  // put() in two halves, for callers that must fix the order of records under their own lock
  // but wait for the disk outside it: append() queues the record and returns its sequence
  // number; wait_durable() returns once that record (and every earlier one) is durable.
  std::uint64_t append(const std::string& key, const nlohmann::json& value);
  void wait_durable(std::uint64_t seq);

  DurableLogStats stats() const;

  // Frames one record (exposed for tests that write damaged files).
  static std::string encode_record(const std::string& key, const nlohmann::json& value);

 private:
  DurableLog(std::filesystem::path path, int fd, const DurableLogOptions& options);
  void write_all(const std::string& bytes);
  void sync();
  void write_durable_length(std::uint64_t length);
  void compact_locked();

  std::filesystem::path path_;
  int fd_ = -1;
  int length_fd_ = -1;  // <file>.durable-length; -1 when the log is lost (nothing is written)
  DurableLogOptions options_;
  std::map<std::string, nlohmann::json> recovered_;
  std::string lost_;

  mutable std::mutex mutex_;
  std::condition_variable flushed_;
  std::string queued_;                 // encoded records waiting for the next flush
  std::uint64_t queued_seq_ = 0;       // sequence number of the last queued record
  std::uint64_t durable_seq_ = 0;      // every record up to this one is durable
  bool flushing_ = false;
  bool failed_ = false;     // a write or fsync failed: every later put throws
  std::string failure_;
  std::map<std::string, std::string> live_;  // key -> its latest encoded record, for compaction
  std::uint64_t live_bytes_ = 0;
  DurableLogStats stats_;
};

}  // namespace faultline::storage
