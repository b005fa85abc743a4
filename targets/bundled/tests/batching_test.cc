// Batches of client operations on one key (register_command.h, key_queues.h, the proposer) and
// the choice of the node that proposes them (paxos/leader_choice.h), against literal values.
#include <catch2/catch.hpp>

#include "../paxos/leader_choice.h"
#include "../paxos/key_queues.h"
#include "../paxos/proposer.h"
#include "paxos_commands.h"

using namespace faultline;
using namespace faultline::paxos;
using nlohmann::json;
using namespace faultline::paxos::testing;

namespace {

Accepted accepted(const Ballot& ballot) { return Accepted{"k", ballot, true, ballot, ballot}; }

}  // namespace

TEST_CASE("batch: commands apply in order, each to the value the one before left", "[batch]") {
  const BatchApplied batch =
      apply_commands({read_command(), write_command(1), cas_command(1, 2), cas_command(1, 3), read_command()}, 0);
  CHECK(batch.next == 2);
  REQUIRE(batch.each.size() == 5);
  CHECK(batch.each[0].result == 0);
  CHECK_FALSE(batch.each[2].cas_mismatch);
  CHECK(batch.each[3].cas_mismatch);  // the value is 2 by then
  CHECK(batch.each[4].result == 2);
  CHECK_FALSE(any_may_change({read_command(), read_command()}));
  CHECK(any_may_change({read_command(), cas_command(1, 2)}));
}

TEST_CASE("batch: a transaction applies all its micro-operations to the keyspace at once", "[batch][txn]") {
  using nlohmann::json;
  const RegisterCommand first{RegisterCommand::Kind::txn, json::parse(R"([["append", 1, 10], ["r", 1, null], ["r", "b", null]])"), nullptr, nullptr};
  const RegisterCommand second{RegisterCommand::Kind::txn, json::parse(R"([["r", 1, null], ["w", "b", 5], ["append", 1, 11]])"), nullptr, nullptr};
  const RegisterCommand reader{RegisterCommand::Kind::txn, json::parse(R"([["r", 1, null], ["r", "b", null]])"), nullptr, nullptr};
  const BatchApplied batch = apply_commands({first, second, reader}, nullptr);
  REQUIRE(batch.each.size() == 3);
  // A read after the transaction's own append sees it; a key never written reads null.
  CHECK(batch.each[0].result == json::parse(R"([["append", 1, 10], ["r", 1, [10]], ["r", "b", null]])"));
  CHECK(batch.each[1].result == json::parse(R"([["r", 1, [10]], ["w", "b", 5], ["append", 1, 11]])"));
  CHECK(batch.each[2].result == json::parse(R"([["r", 1, [10, 11]], ["r", "b", 5]])"));
  // Integer and string keys stay apart: the keyspace is keyed by each key's JSON text.
  CHECK(batch.next == json::parse(R"({"1": [10, 11], "\"b\"": 5})"));
  CHECK_FALSE(any_may_change({reader}));
  CHECK(any_may_change({reader, first}));
}

TEST_CASE("batch: one consensus instance answers every command of the batch", "[batch][paxos]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::none}, "k", {write_command(7), read_command(), cas_command(8, 9)});
  proposer.begin({1, 0});
  proposer.on_reply(0, promise({1, 0}, {0, 1}, 3));
  ProposerOutput out = proposer.on_reply(1, promise({1, 0}));
  REQUIRE(out.broadcast);
  CHECK(std::get<Accept>(*out.broadcast).value == 7);  // one accept, of the last value
  proposer.on_reply(0, accepted({1, 0}));
  out = proposer.on_reply(2, accepted({1, 0}));
  REQUIRE(out.done);
  CHECK(out.done->chosen);
  CHECK(out.done->command(0).status == bundled::OperationResult::Status::ok);
  CHECK(out.done->command(1).value == 7);
  CHECK(out.done->command(2).status == bundled::OperationResult::Status::cas_mismatch);
}

TEST_CASE("batch: a failed batch fails every command alike, only reads are definite after an accept", "[batch][paxos]") {
  auto fail_after_accept = [](std::vector<RegisterCommand> commands) {
    Proposer proposer(ProposerConfig{3, 1, bundled::Bug::none}, "k", std::move(commands));
    proposer.begin({1, 0});
    proposer.on_reply(0, promise({1, 0}));
    proposer.on_reply(1, promise({1, 0}));
    return *proposer.on_timeout().done;  // one attempt allowed
  };
  const ProposerResult reads = fail_after_accept({read_command(), read_command()});
  CHECK_FALSE(reads.chosen);
  CHECK(reads.command(1).status == bundled::OperationResult::Status::failed);
  CHECK(reads.command(1).definite);
  const ProposerResult mixed = fail_after_accept({read_command(), write_command(1)});
  CHECK_FALSE(mixed.command(0).definite);
  CHECK_FALSE(mixed.command(1).definite);
}

TEST_CASE("key queues: one batch per key at a time, the waiting go together, oldest first", "[batch]") {
  KeyQueues queues(2);
  CHECK(queues.arrive("a", 1) == std::vector<std::uint64_t>{1});
  CHECK(queues.arrive("b", 2) == std::vector<std::uint64_t>{2});  // another key runs at once
  CHECK(queues.arrive("a", 3).empty());
  CHECK(queues.arrive("a", 4).empty());
  CHECK(queues.arrive("a", 5).empty());
  CHECK(queues.finish("a") == std::vector<std::uint64_t>{3, 4});  // at most batch_max
  CHECK(queues.arrive("a", 6).empty());
  CHECK(queues.finish("a") == std::vector<std::uint64_t>{5, 6});
  CHECK(queues.finish("a").empty());
  CHECK(queues.arrive("a", 7) == std::vector<std::uint64_t>{7});  // idle again: runs at once
  queues.forget_all();
  CHECK(queues.busy_keys() == 0);
}

TEST_CASE("leader choice: the lowest-numbered node not passed over, never past this node", "[leader]") {
  LeaderChoice choice(3, 2, 1'000, 500);
  CHECK(choice.leader(0) == 0);
  choice.forward_started(0, 100);
  choice.forward_ended(0, 100, false, 100);  // no answer
  CHECK(choice.leader(500) == 1);
  choice.forward_started(1, 600);
  choice.forward_ended(1, 600, false, 600);
  CHECK(choice.leader(700) == 2);    // itself
  CHECK(choice.leader(1'100) == 0);  // node 0's suspicion is over: tried again
  choice.forward_started(2, 0);
  choice.forward_ended(2, 0, false, 0);  // never passes over itself
  CHECK(choice.leader(1'700) == 0);
  LeaderChoice first(3, 0, 1'000, 500);
  CHECK(first.leader(0) == 0);  // node 0 leads itself
}

TEST_CASE("leader choice: a forward unanswered for too long passes the leader over for a while", "[leader]") {
  LeaderChoice choice(3, 1, 1'000, 500);
  choice.forward_started(0, 0);
  choice.forward_started(0, 300);
  CHECK(choice.leader(499) == 0);
  CHECK(choice.leader(500) == 1);  // the oldest forward is 500 ms old: a paused leader?
  choice.forward_ended(0, 0, true, 600);
  CHECK(choice.leader(1'499) == 1);
  // Tried again after the suspicion, though the forward of 300 still hangs (a healed
  // partition leaves such forwards behind): each forward counts as slow once.
  CHECK(choice.leader(1'500) == 0);
  choice.forward_started(0, 1'500);
  CHECK(choice.leader(1'999) == 0);
  CHECK(choice.leader(2'000) == 1);  // the new forward hangs too
  choice.forward_ended(0, 300, true, 2'100);
  choice.forward_ended(0, 1'500, true, 2'100);
  choice.forward_started(0, 3'000);
  choice.forward_ended(0, 3'000, true, 3'010);
  CHECK(choice.leader(3'600) == 0);  // answered in time: not slow
}
