#include "durable_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "crc32c.h"

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
}

std::expected<std::unique_ptr<DurableLog>, std::string> DurableLog::open(const std::filesystem::path& dir,
                                                                          const std::string& file_name,
                                                                          const DurableLogOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return std::unexpected("cannot create data directory " + dir.string() + ": " + ec.message());
  const std::filesystem::path path = dir / file_name;
  std::filesystem::remove(dir / (file_name + ".compact"), ec);  // an interrupted compaction

  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    if (in) {
      std::ostringstream buffer;
      buffer << in.rdbuf();
      bytes = buffer.str();
    }
  }
  const bool existed = std::filesystem::exists(path);
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return std::unexpected("cannot open " + path.string() + ": " + errno_text());
  std::unique_ptr<DurableLog> log(new DurableLog(path, fd, options));
  if (!existed) fsync_dir(dir);

  auto corrupt = [&](std::size_t offset, const std::string& what) {
    return std::unexpected(path.string() + ": corrupt record at byte " + std::to_string(offset) + ": " + what +
                           ". This is not a torn last write, so the node refuses to start rather than lose or "
                           "invent acceptor state; restore the data directory or remove it to start empty "
                           "(which forgets every promise this node made)");
  };
  std::size_t offset = 0;
  std::size_t torn_at = bytes.size();
  while (offset < bytes.size()) {
    const std::size_t remaining = bytes.size() - offset;
    if (remaining < header_bytes) { torn_at = offset; break; }
    const std::uint32_t length = get_u32(bytes, offset);
    const std::uint32_t checksum = get_u32(bytes, offset + 4);
    if (length > options.record_max_bytes) return corrupt(offset, "length " + std::to_string(length) + " is absurd");
    if (remaining < header_bytes + length) { torn_at = offset; break; }
    const std::string payload = bytes.substr(offset + header_bytes, length);
    const std::size_t end = offset + header_bytes + length;
    if (crc32c(payload) != checksum) {
      if (end == bytes.size()) { torn_at = offset; break; }
      return corrupt(offset, "checksum mismatch");
    }
    nlohmann::json record = nlohmann::json::parse(payload, nullptr, false);
    if (record.is_discarded() || !record.is_object() || !record.contains("k") || !record["k"].is_string() ||
        !record.contains("v"))
      return corrupt(offset, "checksum matches but the payload is not a record");
    const std::string key = record["k"].get<std::string>();
    log->recovered_[key] = record["v"];
    if (auto it = log->live_.find(key); it != log->live_.end()) log->live_bytes_ -= it->second.size();
    log->live_[key] = bytes.substr(offset, end - offset);
    log->live_bytes_ += end - offset;
    ++log->stats_.recovered_records;
    offset = end;
  }
  if (torn_at < bytes.size()) {
    if (::ftruncate(fd, static_cast<off_t>(torn_at)) != 0 || ::fsync(fd) != 0)
      return std::unexpected("cannot discard the torn last record of " + path.string() + ": " + errno_text());
    log->stats_.discarded_tail_bytes = bytes.size() - torn_at;
  }
  log->stats_.file_bytes = torn_at;
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

std::uint64_t DurableLog::append(const std::string& key, const nlohmann::json& value) {
  std::string record = encode_record(key, value);
  std::lock_guard lock(mutex_);
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
    lock.unlock();
    try {
      write_all(batch);
      sync();
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
