// DurableLog and AcceptorStorage on real files in a temporary directory.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "../storage/acceptor_storage.h"
#include "../storage/crc32c.h"
#include "../storage/durable_length.h"
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

TEST_CASE("durable log: damage beyond the durable length is a torn write, whatever its shape", "[storage]") {
  TempDir dir;
  { open_log(dir)->put("a", 1); }
  const std::filesystem::path file = dir.path() / "test.log";
  const std::string good = read_file(file);
  std::string unacknowledged = DurableLog::encode_record("b", 2) + DurableLog::encode_record("c", 3);
  SECTION("bad checksum before the last unacknowledged record") { unacknowledged[10] ^= 0x20; }
  SECTION("absurd length") { unacknowledged[3] = '\x7f'; }
  write_file(file, good + unacknowledged);
  auto log = open_log(dir);
  CHECK(log->lost().empty());
  CHECK(log->recovered().size() == 1);
  CHECK(std::filesystem::file_size(file) == good.size());
}

TEST_CASE("durable log: records written beyond the durable length (a crash between the two fsyncs) are kept",
          "[storage]") {
  TempDir dir;
  { open_log(dir)->put("a", 1); }
  const std::filesystem::path file = dir.path() / "test.log";
  write_file(file, read_file(file) + DurableLog::encode_record("b", 2));
  auto log = open_log(dir);
  CHECK(log->lost().empty());
  CHECK(log->recovered().at("b") == 2);
}

TEST_CASE("durable log: damage to acknowledged records is a loss, not a torn write", "[storage]") {
  TempDir dir;
  {
    auto log = open_log(dir);
    for (int i = 0; i < 6; ++i) log->put("k" + std::to_string(i), i);
  }
  const std::filesystem::path file = dir.path() / "test.log";
  const std::filesystem::path length_file = dir.path() / "test.log.durable-length";
  const std::string good = read_file(file);
  const std::size_t record_bytes = DurableLog::encode_record("k0", 0).size();
  REQUIRE(good.size() == 6 * record_bytes);
  std::string expected_loss;

  SECTION("a bit flipped in the middle") {
    std::string damaged = good;
    damaged[2 * record_bytes + 12] ^= 0x04;
    write_file(file, damaged);
    expected_loss = "checksum mismatch at byte " + std::to_string(2 * record_bytes);
  }
  SECTION("a bit flipped in the last acknowledged record (a torn write's shape)") {
    std::string damaged = good;
    damaged[good.size() - 2] ^= 0x01;
    write_file(file, damaged);
    expected_loss = "checksum mismatch at byte " + std::to_string(5 * record_bytes);
  }
  SECTION("truncated inside a record") {
    write_file(file, good.substr(0, 3 * record_bytes + 5));
    expected_loss = "cut short by the end of the file at byte " + std::to_string(3 * record_bytes);
  }
  SECTION("truncated at a record boundary (a clean-looking log)") {
    write_file(file, good.substr(0, 4 * record_bytes));
    expected_loss = std::to_string(4 * record_bytes) + " bytes, shorter than the " + std::to_string(good.size());
  }
  SECTION("truncated to nothing") {
    write_file(file, "");
    expected_loss = "0 bytes, shorter than";
  }
  SECTION("the durable-length record flipped") {
    std::string damaged = read_file(length_file);
    damaged[6] ^= 0x10;
    write_file(length_file, damaged);
    expected_loss = "test.log.durable-length is damaged (its checksum does not match)";
  }
  SECTION("the durable-length record truncated") {
    write_file(length_file, read_file(length_file).substr(0, 9));
    expected_loss = "test.log.durable-length is damaged (it is 9 bytes, not 16)";
  }
  SECTION("the durable-length record removed") {
    std::filesystem::remove(length_file);
    expected_loss = "test.log.durable-length is missing";
  }
  const std::string log_before = read_file(file);
  const std::string length_before = std::filesystem::exists(length_file) ? read_file(length_file) : "";
  auto log = open_log(dir);
  CHECK_THAT(log->lost(), Catch::Contains(expected_loss));
  CHECK_THROWS_WITH(log->put("k9", 9), Catch::Contains("lost acknowledged records"));
  // Nothing on disk changed: what was found stays for whoever looks.
  CHECK(read_file(file) == log_before);
  CHECK((std::filesystem::exists(length_file) ? read_file(length_file) : "") == length_before);
}

TEST_CASE("durable log: the planted bug trust-damaged-log takes a loss for a torn write", "[storage]") {
  TempDir dir;
  {
    auto log = open_log(dir);
    for (int i = 0; i < 4; ++i) log->put("k" + std::to_string(i), i);
  }
  const std::filesystem::path file = dir.path() / "test.log";
  const std::size_t record_bytes = DurableLog::encode_record("k0", 0).size();
  write_file(file, read_file(file).substr(0, 2 * record_bytes + 3));
  DurableLogOptions trusting;
  trusting.trust_damaged = true;
  {
    auto log = open_log(dir, trusting);
    CHECK(log->lost().empty());
    CHECK(log->recovered().size() == 2);  // k2 and k3, acknowledged, are forgotten
    log->put("k9", 9);
  }
  auto log = open_log(dir);  // its repair wrote a durable length that fits the shorter log
  CHECK(log->lost().empty());
  CHECK(log->recovered().size() == 3);
}

TEST_CASE("durable length: the record round-trips and refuses damage", "[storage]") {
  CHECK(decode_durable_length(encode_durable_length(0)) == 0u);
  CHECK(decode_durable_length(encode_durable_length(1234567890123ull)) == 1234567890123ull);
  std::string flipped = encode_durable_length(77);
  flipped[5] ^= 0x01;
  CHECK_FALSE(decode_durable_length(flipped).has_value());
  CHECK_FALSE(decode_durable_length(encode_durable_length(77).substr(0, 15)).has_value());
  CHECK_FALSE(decode_durable_length(std::string(16, '\0')).has_value());
}

TEST_CASE("acceptor storage: a lost log is reported, with what could be read", "[storage]") {
  TempDir dir;
  {
    auto storage = AcceptorStorage::open(dir.path(), {});
    REQUIRE(storage.has_value());
    (*storage)->persist("x", paxos::AcceptorRecord{{3, 1}, {3, 1}, 5});
    (*storage)->persist("y", paxos::AcceptorRecord{{4, 2}, {}, nullptr});
  }
  const std::filesystem::path file = dir.path() / AcceptorStorage::file_name;
  write_file(file, read_file(file).substr(0, read_file(file).size() - 1));
  auto storage = AcceptorStorage::open(dir.path(), {});
  REQUIRE(storage.has_value());
  CHECK_THAT((*storage)->lost(), Catch::Contains("acceptor.log"));
  CHECK((*storage)->recovered().records.size() == 1);
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

TEST_CASE("durable log: without fsync there is no durable length, and damage is a torn tail", "[storage]") {
  TempDir dir;
  DurableLogOptions no_fsync;
  no_fsync.fsync = false;
  {
    auto log = open_log(dir, no_fsync);
    for (int i = 0; i < 3; ++i) log->put("k" + std::to_string(i), i);
  }
  CHECK_FALSE(std::filesystem::exists(dir.path() / "test.log.durable-length"));
  const std::filesystem::path file = dir.path() / "test.log";
  write_file(file, read_file(file).substr(0, read_file(file).size() - 4));
  auto log = open_log(dir, no_fsync);
  CHECK(log->lost().empty());
  CHECK(log->recovered().size() == 2);
}
