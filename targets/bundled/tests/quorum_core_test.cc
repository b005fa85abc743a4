// The quorum cores against literal values: replica, timestamps, coordinator.
#include <catch2/catch.hpp>

#include <map>

#include "../quorum/coordinator.h"
#include "../quorum/replica.h"
#include "../quorum/sequential_txn.h"

using namespace faultline;
using namespace faultline::quorum;
using paxos::RegisterCommand;
using nlohmann::json;

namespace {

QuorumConfig abd() { return QuorumConfig{3, 2, 2, ReadRepair::sync, TimestampMode::lamport, bundled::Bug::none}; }

ReadReply holding(json value, Timestamp ts) { return ReadReply{"k", Versioned{std::move(value), ts}}; }

std::size_t count_writes(const CoordinatorOutput& out) {
  std::size_t n = 0;
  for (const auto& m : out.send) n += std::holds_alternative<WriteRequest>(m.request) ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("replica: keeps the highest timestamp", "[quorum]") {
  Replica replica;
  auto step = replica.step(WriteRequest{"k", Versioned{1, {5, 0}}});
  CHECK(step.to_persist);
  step = replica.step(WriteRequest{"k", Versioned{2, {4, 1}}});
  CHECK_FALSE(step.to_persist);
  CHECK(std::get<WriteAck>(step.reply).timestamp == Timestamp{5, 0});
  CHECK(std::get<ReadReply>(replica.step(ReadRequest{"k"}).reply).versioned.value == 1);
  CHECK(std::get<ReadReply>(replica.step(ReadRequest{"absent"}).reply).versioned == Versioned{});
}

TEST_CASE("timestamp source: lamport goes above what it saw, wall clock never repeats", "[quorum]") {
  TimestampSource source(1, 0);
  CHECK(source.next_lamport(7).timestamp == Timestamp{8, 1});
  CHECK(source.next_lamport(2).timestamp == Timestamp{9, 1});
  CHECK(source.next_wallclock(5).timestamp == Timestamp{10, 1});
  CHECK(source.next_wallclock(500).timestamp == Timestamp{500, 1});
}

TEST_CASE("coordinator: an ABD read writes the newest value back before answering", "[quorum]") {
  TimestampSource timestamps(0, 0);
  Coordinator coordinator(abd(), 0, "k", {RegisterCommand::Kind::read, nullptr, nullptr, nullptr}, timestamps, 0);
  CoordinatorOutput out = coordinator.start();
  CHECK(out.send.size() == 3);
  CHECK(coordinator.on_reply(1, holding(4, {2, 1})).send.empty());
  CHECK(coordinator.on_reply(1, holding(4, {2, 1})).send.empty());  // duplicate
  out = coordinator.on_reply(2, holding(3, {1, 2}));
  CHECK(count_writes(out) == 3);
  CHECK(std::get<WriteRequest>(out.send[0].request).versioned == Versioned{4, {2, 1}});
  CHECK_FALSE(coordinator.on_reply(0, WriteAck{"k", {2, 1}}).done);
  out = coordinator.on_reply(2, WriteAck{"k", {2, 1}});
  REQUIRE(out.done);
  CHECK(out.done->value == 4);
}

TEST_CASE("coordinator: async read repair answers at once and repairs the stale replicas", "[quorum]") {
  QuorumConfig config = abd();
  config.read_repair = ReadRepair::async;
  TimestampSource timestamps(0, 0);
  Coordinator coordinator(config, 0, "k", {RegisterCommand::Kind::read, nullptr, nullptr, nullptr}, timestamps, 0);
  coordinator.start();
  coordinator.on_reply(0, holding(4, {2, 1}));
  CoordinatorOutput out = coordinator.on_reply(2, holding(3, {1, 2}));
  REQUIRE(out.done);
  CHECK(out.done->value == 4);
  REQUIRE(out.send.size() == 1);
  CHECK(out.send[0].to == 2);
}

TEST_CASE("coordinator: a lamport write asks R replicas for the highest timestamp first", "[quorum]") {
  TimestampSource timestamps(1, 0);
  Coordinator coordinator(abd(), 1, "k", {RegisterCommand::Kind::write, 8, nullptr, nullptr}, timestamps, 0);
  CHECK(count_writes(coordinator.start()) == 0);
  coordinator.on_reply(0, holding(4, {6, 0}));
  CoordinatorOutput out = coordinator.on_reply(2, holding(4, {2, 2}));
  REQUIRE(count_writes(out) == 3);
  CHECK(std::get<WriteRequest>(out.send[0].request).versioned == Versioned{8, {7, 1}});
  CHECK(out.persist_timestamp_reservation == 7 + TimestampSource::reservation_block);
  coordinator.on_reply(0, WriteAck{"k", {7, 1}});
  CHECK(coordinator.on_reply(1, WriteAck{"k", {7, 1}}).done);
}

TEST_CASE("coordinator: a wall-clock write uses the injected clock at once", "[quorum]") {
  QuorumConfig config = abd();
  config.timestamps = TimestampMode::wallclock;
  TimestampSource timestamps(2, 0);
  Coordinator coordinator(config, 2, "k", {RegisterCommand::Kind::write, 8, nullptr, nullptr}, timestamps, 123'456);
  CoordinatorOutput out = coordinator.start();
  REQUIRE(count_writes(out) == 3);
  CHECK(std::get<WriteRequest>(out.send[0].request).versioned.timestamp == Timestamp{123'456, 2});
}

TEST_CASE("coordinator: cas is a read and a conditional write", "[quorum]") {
  TimestampSource timestamps(0, 0);
  Coordinator mismatch(abd(), 0, "k", {RegisterCommand::Kind::cas, nullptr, 1, 2}, timestamps, 0);
  mismatch.start();
  mismatch.on_reply(0, holding(3, {1, 0}));
  CoordinatorOutput out = mismatch.on_reply(1, holding(3, {1, 0}));
  REQUIRE(out.done);
  CHECK(out.done->status == bundled::OperationResult::Status::cas_mismatch);
  CHECK(out.send.empty());

  Coordinator match(abd(), 0, "k", {RegisterCommand::Kind::cas, nullptr, 3, 4}, timestamps, 0);
  match.start();
  match.on_reply(0, holding(3, {1, 0}));
  out = match.on_reply(1, holding(3, {1, 0}));
  CHECK(count_writes(out) == 3);
}

TEST_CASE("coordinator: timeouts resend to the silent replicas, then fail", "[quorum]") {
  QuorumConfig config = abd();
  config.max_rounds = 2;
  TimestampSource timestamps(0, 0);
  Coordinator reading(config, 0, "k", {RegisterCommand::Kind::write, 1, nullptr, nullptr}, timestamps, 0);
  reading.start();
  reading.on_reply(2, holding(nullptr, {}));
  CoordinatorOutput out = reading.on_timeout();
  CHECK(out.send.size() == 2);  // replicas 0 and 1 did not answer
  CHECK_FALSE(out.done);
  out = reading.on_timeout();
  REQUIRE(out.done);
  CHECK(out.done->definite);  // nothing was written

  Coordinator writing(config, 0, "k", {RegisterCommand::Kind::write, 1, nullptr, nullptr}, timestamps, 0);
  writing.start();
  writing.on_reply(0, holding(nullptr, {}));
  writing.on_reply(1, holding(nullptr, {}));
  CHECK(count_writes(writing.on_timeout()) == 3);
  out = writing.on_timeout();
  REQUIRE(out.done);
  CHECK_FALSE(out.done->definite);  // the version may be kept anywhere
}

TEST_CASE("coordinator: the planted bug quorum-local-read asks only its own replica", "[quorum][bugs]") {
  QuorumConfig config = abd();
  config.bug = bundled::Bug::quorum_local_read;
  TimestampSource timestamps(1, 0);
  Coordinator coordinator(config, 1, "k", {RegisterCommand::Kind::read, nullptr, nullptr, nullptr}, timestamps, 0);
  CoordinatorOutput out = coordinator.start();
  REQUIRE(out.send.size() == 1);
  CHECK(out.send[0].to == 1);
  out = coordinator.on_reply(1, holding(5, {1, 1}));
  REQUIRE(out.done);
  CHECK(out.done->value == 5);
}

TEST_CASE("quorum transaction: micro-operations run as per-key operations, one after another", "[quorum][txn]") {
  using bundled::OperationResult;
  std::map<std::string, nlohmann::json> registers;
  std::vector<std::string> calls;
  int fail_call = -1;  // the call that fails, definitely unless it is a write
  auto run_one = [&](const std::string& key, const paxos::RegisterCommand& command) {
    const bool write = command.kind == paxos::RegisterCommand::Kind::write;
    calls.push_back((write ? "write " : "read ") + key);
    if (static_cast<int>(calls.size()) - 1 == fail_call) return OperationResult{OperationResult::Status::failed, nullptr, !write, "no quorum"};
    if (write) registers[key] = command.value;
    return OperationResult{OperationResult::Status::ok, write ? nlohmann::json() : registers[key], true, ""};
  };
  const nlohmann::json txn = nlohmann::json::parse(R"([["append", 1, 5], ["r", 1, null], ["w", "b", 2]])");
  OperationResult done = quorum::run_sequential_txn(txn, run_one);
  REQUIRE(done.status == OperationResult::Status::ok);
  CHECK(done.value == nlohmann::json::parse(R"([["append", 1, 5], ["r", 1, [5]], ["w", "b", 2]])"));
  CHECK(calls == std::vector<std::string>{"read @txn/1", "write @txn/1", "read @txn/1", "write @txn/\"b\""});
  // A failure before anything was written certainly changed nothing; after, it may have.
  calls.clear();
  fail_call = 0;
  CHECK(quorum::run_sequential_txn(txn, run_one).definite);
  calls.clear();
  fail_call = 2;
  const OperationResult halfway = quorum::run_sequential_txn(txn, run_one);
  CHECK(halfway.status == OperationResult::Status::failed);
  CHECK_FALSE(halfway.definite);
  CHECK(halfway.error.find("earlier writes of the transaction stay") != std::string::npos);
}
