#include "durable_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "crc32c.h"
#include "durable_length.h"

namespace faultline::storage {
namespace {

constexpr std::size_t header_bytes = 8;

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

std::uint32_t get_u32(const std::string& in, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  return v;
}

std::string errno_text() { return std::strerror(errno); }

std::string read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void fsync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string DurableLog::encode_record(const std::string& key, const nlohmann::json& value) {
  const std::string payload = nlohmann::json{{"k", key}, {"v", value}}.dump();
  std::string out;
  out.reserve(header_bytes + payload.size());
  put_u32(out, static_cast<std::uint32_t>(payload.size()));
  put_u32(out, crc32c(payload));
  out += payload;
  return out;
}

DurableLog::DurableLog(std::filesystem::path path, int fd, const DurableLogOptions& options)
    : path_(std::move(path)), fd_(fd), options_(options) {}

DurableLog::~DurableLog() {
  if (fd_ >= 0) ::close(fd_);
  if (length_fd_ >= 0) ::close(length_fd_);
}

std::expected<std::unique_ptr<DurableLog>, std::string> DurableLog::open(const std::filesystem::path& dir,
                                                                          const std::string& file_name,
                                                                          const DurableLogOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return std::unexpected("cannot create data directory " + dir.string() + ": " + ec.message());
  const std::filesystem::path path = dir / file_name;
  const std::filesystem::path length_path = durable_length_path(path);
  std::filesystem::remove(dir / (file_name + ".compact"), ec);  // an interrupted compaction

  const bool existed = std::filesystem::exists(path);
  // Without fsync nothing is durable, so there is no durable length to keep or check: damage
  // anywhere is taken for a torn tail (the planted bug paxos-skip-fsync keeps its behaviour).
  const bool length_kept = options.fsync;
  const bool length_existed = length_kept && std::filesystem::exists(length_path);
  const std::string bytes = existed ? read_whole_file(path) : std::string();

  // What the durable-length record says; a problem with it means the log cannot be shown complete.
  std::uint64_t durable_length = 0;
  std::string lost;
  if (length_existed) {
    auto decoded = decode_durable_length(read_whole_file(length_path));
    if (decoded) durable_length = *decoded;
    else lost = length_path.string() + " is damaged (" + decoded.error() + ")";
  } else if (length_kept && !bytes.empty()) {
    lost = length_path.string() + " is missing beside a log of " + std::to_string(bytes.size()) + " bytes";
  }
  if (lost.empty() && !existed && durable_length > 0)
    lost = path.string() + " is missing, but " + std::to_string(durable_length) + " bytes of it were recorded durable";

  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return std::unexpected("cannot open " + path.string() + ": " + errno_text());
  std::unique_ptr<DurableLog> log(new DurableLog(path, fd, options));
  log->stats_.durable_length_at_open = durable_length;

  // Reads records up to the first damage; `damaged_at` is where it begins (the size when none).
  std::size_t offset = 0;
  std::size_t damaged_at = bytes.size();
  std::string damage;
  while (offset < bytes.size()) {
    const std::size_t remaining = bytes.size() - offset;
    damaged_at = offset;
    if (remaining < header_bytes) { damage = "a header cut short by the end of the file"; break; }
    const std::uint32_t length = get_u32(bytes, offset);
    const std::uint32_t checksum = get_u32(bytes, offset + 4);
    if (length > options.record_max_bytes) { damage = "length " + std::to_string(length) + " is absurd"; break; }
    if (remaining < header_bytes + length) { damage = "a record cut short by the end of the file"; break; }
    const std::string payload = bytes.substr(offset + header_bytes, length);
    const std::size_t end = offset + header_bytes + length;
    if (crc32c(payload) != checksum) { damage = "checksum mismatch"; break; }
    nlohmann::json record = nlohmann::json::parse(payload, nullptr, false);
    if (record.is_discarded() || !record.is_object() || !record.contains("k") || !record["k"].is_string() ||
        !record.contains("v"))
      return std::unexpected(path.string() + ": record at byte " + std::to_string(offset) +
                             ": its checksum matches but the payload is not a record");
    const std::string key = record["k"].get<std::string>();
    log->recovered_[key] = record["v"];
    if (auto it = log->live_.find(key); it != log->live_.end()) log->live_bytes_ -= it->second.size();
    log->live_[key] = bytes.substr(offset, end - offset);
    log->live_bytes_ += end - offset;
    ++log->stats_.recovered_records;
    offset = end;
    damaged_at = bytes.size();
  }
  if (lost.empty() && !damage.empty() && damaged_at < durable_length)
    lost = path.string() + ": " + damage + " at byte " + std::to_string(damaged_at) + ", before the " +
           std::to_string(durable_length) + " bytes recorded durable";
  if (lost.empty() && bytes.size() < durable_length)
    lost = path.string() + ": " + std::to_string(bytes.size()) + " bytes, shorter than the " +
           std::to_string(durable_length) + " bytes recorded durable (acknowledged records were cut off)";

  if (!lost.empty() && !options.trust_damaged) {
    // Nothing is changed on disk: the files stay as they were found, for whoever looks.
    log->lost_ = lost;
    log->stats_.file_bytes = bytes.size();
    return log;
  }
  // Damage beyond the durable length was never acknowledged (or, with the planted bug, any
  // damage is taken for such): the log ends where it begins.
  if (damaged_at < bytes.size()) {
    if (::ftruncate(fd, static_cast<off_t>(damaged_at)) != 0 || ::fsync(fd) != 0)
      return std::unexpected("cannot discard the torn last record of " + path.string() + ": " + errno_text());
    log->stats_.discarded_tail_bytes = bytes.size() - damaged_at;
  }
  if (!existed) fsync_dir(dir);
  log->stats_.file_bytes = damaged_at;
  if (!length_kept) return log;
  log->length_fd_ = ::open(length_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (log->length_fd_ < 0) return std::unexpected("cannot open " + length_path.string() + ": " + errno_text());
  // A fresh record (a new log, or the planted bug's repair) says what the log holds now.
  if (!length_existed || !lost.empty() || durable_length > damaged_at) {
    try {
      log->write_durable_length(damaged_at);
    } catch (const std::exception& e) {
      return std::unexpected(e.what());
    }
    if (!length_existed) fsync_dir(dir);
  }
  return log;
}

void DurableLog::write_all(const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::runtime_error("write " + path_.string() + ": " + errno_text());
    done += static_cast<std::size_t>(n);
  }
}

void DurableLog::sync() {
  if (options_.fsync && ::fdatasync(fd_) != 0) throw std::runtime_error("fsync " + path_.string() + ": " + errno_text());
}

void DurableLog::write_durable_length(std::uint64_t length) {
  if (length_fd_ < 0) return;  // no fsync, no durable length
  const std::string record = encode_durable_length(length);
  const std::string where = durable_length_path(path_).string();
  ssize_t n;
  do n = ::pwrite(length_fd_, record.data(), record.size(), 0);
  while (n < 0 && errno == EINTR);
  if (n != static_cast<ssize_t>(record.size())) throw std::runtime_error("write " + where + ": " + errno_text());
  if (options_.fsync && ::fdatasync(length_fd_) != 0) throw std::runtime_error("fsync " + where + ": " + errno_text());
}

std::uint64_t DurableLog::append(const std::string& key, const nlohmann::json& value) {
  std::string record = encode_record(key, value);
  std::lock_guard lock(mutex_);
  if (!lost_.empty()) throw std::runtime_error("no appends to a log that lost acknowledged records: " + lost_);
  if (failed_) throw std::runtime_error(failure_);
  queued_ += record;
  if (auto it = live_.find(key); it != live_.end()) live_bytes_ -= it->second.size();
  live_bytes_ += record.size();
  live_[key] = std::move(record);
  return ++queued_seq_;
}

void DurableLog::wait_durable(std::uint64_t mine) {
  std::unique_lock lock(mutex_);
  while (durable_seq_ < mine) {
    if (failed_) throw std::runtime_error(failure_);
    if (flushing_) {
      flushed_.wait(lock);
      continue;
    }
    // This caller leads: it writes and fsyncs everything queued so far, its own record included.
    flushing_ = true;
    std::string batch = std::move(queued_);
    queued_.clear();
    const std::uint64_t upto = queued_seq_;
    const std::uint64_t records = upto - durable_seq_;
    const std::uint64_t length_after = stats_.file_bytes + batch.size();
    lock.unlock();
    try {
      write_all(batch);
      sync();
      // Only now may the durable length cover the batch, and only then may anyone hear of it.
      write_durable_length(length_after);
    } catch (const std::exception& e) {
      lock.lock();
      failed_ = true;
      failure_ = e.what();
      flushing_ = false;
      flushed_.notify_all();
      throw;
    }
    lock.lock();
    durable_seq_ = upto;
    stats_.records_written += records;
    ++stats_.fsyncs;
    stats_.file_bytes += batch.size();
    if (stats_.file_bytes > options_.compact_min_bytes && stats_.file_bytes > 2 * live_bytes_) compact_locked();
    flushing_ = false;
    flushed_.notify_all();
  }
}

void DurableLog::compact_locked() {
  // Runs with the lock held and no flush in progress. live_ may hold records still queued;
  // writing them early is harmless (they are appended again by the next flush).
  const std::filesystem::path temp = path_.string() + ".compact";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;  // compaction is an optimization; keep appending to the old file
  std::string all;
  all.reserve(live_bytes_);
  for (const auto& [key, record] : live_) all += record;
  std::size_t done = 0;
  bool ok = true;
  while (ok && done < all.size()) {
    ssize_t n = ::write(fd, all.data() + done, all.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) ok = false; else done += static_cast<std::size_t>(n);
  }
  if (ok && options_.fsync) ok = ::fsync(fd) == 0;
  ::close(fd);
  // The durable length drops to the compacted size before the rename: until the rename is
  // durable the old, longer file is there, and a lower bound is still true of it.
  if (ok) {
    try {
      write_durable_length(all.size());
    } catch (const std::exception& e) {
      failed_ = true;
      failure_ = e.what();
      ok = false;
    }
  }
  if (!ok || ::rename(temp.c_str(), path_.c_str()) != 0) {
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    return;
  }
  if (options_.fsync) fsync_dir(path_.parent_path());
  int reopened = ::open(path_.c_str(), O_RDWR | O_APPEND | O_CLOEXEC);
  if (reopened < 0) {
    failed_ = true;
    failure_ = "reopen " + path_.string() + " after compaction: " + errno_text();
    return;
  }
  ::close(fd_);
  fd_ = reopened;
  stats_.file_bytes = all.size();
  ++stats_.compactions;
}

DurableLogStats DurableLog::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace faultline::storage
