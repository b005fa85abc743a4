// DurableLog and AcceptorStorage on real files in a temporary directory.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "../storage/acceptor_storage.h"
#include "../storage/crc32c.h"
#include "../storage/durable_log.h"
#include "temp_dir.h"

using namespace faultline;
using namespace faultline::storage;
using faultline::testing::TempDir;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

std::unique_ptr<DurableLog> open_log(const TempDir& dir, DurableLogOptions options = {}) {
  auto log = DurableLog::open(dir.path(), "test.log", options);
  REQUIRE(log.has_value());
  return std::move(*log);
}

}  // namespace

TEST_CASE("durable log: records survive a reopen, the last write per key wins", "[storage]") {
  TempDir dir;
  {
    auto log = open_log(dir);
    log->put("a", 1);
    log->put("b", {{"x", "y"}});
    log->put("a", 2);
  }
  auto log = open_log(dir);
  CHECK(log->recovered().size() == 2);
  CHECK(log->recovered().at("a") == 2);
  CHECK(log->recovered().at("b") == nlohmann::json{{"x", "y"}});
  CHECK(log->stats().recovered_records == 3);
  CHECK(log->stats().discarded_tail_bytes == 0);
}

TEST_CASE("durable log: a torn last record is discarded and the log stays usable", "[storage]") {
  TempDir dir;
  { open_log(dir)->put("a", 1); }
  const std::filesystem::path file = dir.path() / "test.log";
  const std::string good = read_file(file);
  const std::string last = DurableLog::encode_record("a", 2);

  SECTION("cut inside the payload") { write_file(file, good + last.substr(0, last.size() - 3)); }
  SECTION("cut inside the header") { write_file(file, good + last.substr(0, 5)); }
  SECTION("bad checksum on the record that ends the file") {
    std::string damaged = last;
    damaged.back() = damaged.back() == '}' ? ']' : '}';
    write_file(file, good + damaged);
  }
  {
    auto log = open_log(dir);
    CHECK(log->recovered().at("a") == 1);
    CHECK(log->stats().discarded_tail_bytes > 0);
    CHECK(std::filesystem::file_size(file) == good.size());
    log->put("a", 3);
  }
  CHECK(open_log(dir)->recovered().at("a") == 3);
}

TEST_CASE("durable log: damage before the last record refuses to open", "[storage]") {
  TempDir dir;
  const std::filesystem::path file = dir.path() / "test.log";
  const std::string first = DurableLog::encode_record("a", 1);
  const std::string second = DurableLog::encode_record("b", 2);

  SECTION("bad checksum") {
    std::string damaged = first;
    damaged[10] = static_cast<char>(damaged[10] ^ 0x20);
    write_file(file, damaged + second);
  }
  SECTION("absurd length") {
    std::string damaged = first;
    damaged[3] = '\x7f';
    write_file(file, damaged + second);
  }
  auto log = DurableLog::open(dir.path(), "test.log", {});
  REQUIRE_FALSE(log.has_value());
  CHECK_THAT(log.error(), Catch::Contains("test.log: corrupt record at byte 0"));
  CHECK_THAT(log.error(), Catch::Contains("refuses to start"));
}

TEST_CASE("durable log: a valid checksum over a non-record refuses to open", "[storage]") {
  TempDir dir;
  std::string framed = DurableLog::encode_record("a", 1);
  // Re-frame a payload that is JSON but not a record.
  const std::string payload = "[1,2]";
  std::string bad;
  for (std::uint32_t v : {static_cast<std::uint32_t>(payload.size()), crc32c(payload)})
    for (int i = 0; i < 4; ++i) bad.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
  write_file(dir.path() / "test.log", bad + payload + framed);
  auto log = DurableLog::open(dir.path(), "test.log", {});
  REQUIRE_FALSE(log.has_value());
  CHECK_THAT(log.error(), Catch::Contains("not a record"));
}

TEST_CASE("durable log: concurrent puts share fsyncs (group commit)", "[storage]") {
  TempDir dir;
  constexpr int threads = 8;
  constexpr int puts_per_thread = 40;
  {
    auto log = open_log(dir);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
      workers.emplace_back([&log, t] {
        for (int i = 0; i < puts_per_thread; ++i) log->put("t" + std::to_string(t), i);
      });
    for (auto& w : workers) w.join();
    const DurableLogStats stats = log->stats();
    CHECK(stats.records_written == threads * puts_per_thread);
    CHECK(stats.fsyncs < stats.records_written);  // some fsyncs were shared
    INFO("fsyncs " << stats.fsyncs << " for " << stats.records_written << " records");
  }
  auto log = open_log(dir);
  for (int t = 0; t < threads; ++t) CHECK(log->recovered().at("t" + std::to_string(t)) == puts_per_thread - 1);
}

TEST_CASE("durable log: compaction keeps only live records", "[storage]") {
  TempDir dir;
  DurableLogOptions options;
  options.compact_min_bytes = 1024;
  {
    auto log = open_log(dir, options);
    for (int i = 0; i < 500; ++i) log->put("k" + std::to_string(i % 3), i);
    CHECK(log->stats().compactions > 0);
    CHECK(std::filesystem::file_size(dir.path() / "test.log") < 2048);
  }
  auto log = open_log(dir, options);
  CHECK(log->recovered().size() == 3);
  CHECK(log->recovered().at("k2") == 497);
  CHECK(log->recovered().at("k0") == 498);
  CHECK(log->recovered().at("k1") == 499);
}

TEST_CASE("acceptor storage: records and the ballot reservation survive a reopen", "[storage]") {
  TempDir dir;
  const paxos::AcceptorRecord record{{5, 1}, {4, 2}, nlohmann::json{{"n", 7}}};
  {
    auto storage = AcceptorStorage::open(dir.path(), {});
    REQUIRE(storage.has_value());
    (*storage)->persist("x", record);
    (*storage)->persist_ballot_reservation(2048);
  }
  auto storage = AcceptorStorage::open(dir.path(), {});
  REQUIRE(storage.has_value());
  CHECK((*storage)->recovered().records.at("x") == record);
  CHECK((*storage)->recovered().ballot_reserved == 2048);
}

TEST_CASE("acceptor storage: a record that is not an acceptor record refuses to open", "[storage]") {
  TempDir dir;
  {
    auto log = DurableLog::open(dir.path(), AcceptorStorage::file_name, {});
    REQUIRE(log.has_value());
    (*log)->put("key:x", "not a record");
  }
  auto storage = AcceptorStorage::open(dir.path(), {});
  REQUIRE_FALSE(storage.has_value());
  CHECK_THAT(storage.error(), Catch::Contains("key 'x'"));
}
