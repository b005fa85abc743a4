// The Paxos cores against literal values: acceptor, proposer, learner, ballots.
#include <catch2/catch.hpp>

#include "../paxos/acceptor.h"
#include "../paxos/ballot.h"
#include "../paxos/learner.h"
#include "../paxos/proposer.h"
#include "paxos_commands.h"

using namespace faultline;
using namespace faultline::paxos;
using nlohmann::json;
using namespace faultline::paxos::testing;


TEST_CASE("acceptor: promises, accepts and rejects by ballot", "[paxos]") {
  Acceptor acceptor;
  AcceptorStep step = acceptor.step(Prepare{"k", {2, 1}});
  auto reply = std::get<Promise>(step.reply);
  CHECK(reply.ok);
  CHECK(reply.accepted.is_zero());
  REQUIRE(step.to_persist);
  CHECK(step.to_persist->second.promised == Ballot{2, 1});

  SECTION("a lower prepare is rejected with the promised ballot, nothing to persist") {
    step = acceptor.step(Prepare{"k", {1, 2}});
    CHECK_FALSE(std::get<Promise>(step.reply).ok);
    CHECK(std::get<Promise>(step.reply).promised == Ballot{2, 1});
    CHECK_FALSE(step.to_persist);
  }
  SECTION("a duplicated prepare gets the same promise, nothing new to persist") {
    step = acceptor.step(Prepare{"k", {2, 1}});
    CHECK(std::get<Promise>(step.reply).ok);
    CHECK_FALSE(step.to_persist);
  }
  SECTION("accept at the promised ballot, then a later promise carries the accepted value") {
    step = acceptor.step(Accept{"k", {2, 1}, 7, {}});
    CHECK(std::get<Accepted>(step.reply).ok);
    REQUIRE(step.to_persist);
    CHECK(step.to_persist->second == AcceptorRecord{{2, 1}, {2, 1}, 7});
    step = acceptor.step(Prepare{"k", {3, 0}});
    CHECK(std::get<Promise>(step.reply).accepted == Ballot{2, 1});
    CHECK(std::get<Promise>(step.reply).value == 7);
  }
  SECTION("an accept below the promise is rejected") {
    step = acceptor.step(Accept{"k", {1, 9}, 7, {}});
    CHECK_FALSE(std::get<Accepted>(step.reply).ok);
    CHECK_FALSE(step.to_persist);
  }
  SECTION("keys are independent") {
    CHECK(std::get<Promise>(acceptor.step(Prepare{"other", {1, 0}}).reply).ok);
  }
}

TEST_CASE("acceptor: the planted bug paxos-promise-drops-accepted", "[paxos][bugs]") {
  Acceptor acceptor({{"k", AcceptorRecord{{2, 1}, {2, 1}, 7}}}, bundled::Bug::paxos_promise_drops_accepted);
  auto reply = std::get<Promise>(acceptor.step(Prepare{"k", {3, 0}}).reply);
  CHECK(reply.ok);
  CHECK(reply.accepted.is_zero());
  CHECK(reply.value.is_null());
}

TEST_CASE("ballot source: above everything seen, reserving before use", "[paxos]") {
  BallotSource source(2, 0);
  auto first = source.next(0);
  CHECK(first.ballot == Ballot{1, 2});
  CHECK(first.reserve == 1 + BallotSource::reservation_block);
  auto second = source.next(0);
  CHECK(second.ballot == Ballot{2, 2});
  CHECK(second.reserve == 0);
  auto jump = source.next(5000);
  CHECK(jump.ballot == Ballot{5001, 2});
  CHECK(jump.reserve == 5001 + BallotSource::reservation_block);
  BallotSource restarted(2, jump.reserve);  // after a crash: above every counter it may have used
  CHECK(restarted.next(0).ballot.counter > 5001);
}

TEST_CASE("learner: a quorum of distinct acceptors, duplicates counted once", "[paxos]") {
  Learner learner(3, 2);
  learner.reset({4, 0});
  CHECK(learner.on_accepted(1, Accepted{"k", {4, 0}, true, {4, 0}, {}}) == Learner::Outcome::undecided);
  CHECK(learner.on_accepted(1, Accepted{"k", {4, 0}, true, {4, 0}, {}}) == Learner::Outcome::undecided);
  CHECK(learner.on_accepted(2, Accepted{"k", {3, 0}, true, {3, 0}, {}}) == Learner::Outcome::undecided);  // old ballot
  CHECK(learner.on_accepted(2, Accepted{"k", {4, 0}, true, {4, 0}, {}}) == Learner::Outcome::chosen);
}

TEST_CASE("proposer: a write goes through prepare and accept", "[paxos]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::none}, "k", write_command(9));
  ProposerOutput out = proposer.begin({1, 0});
  REQUIRE(out.broadcast);
  CHECK(std::get<Prepare>(*out.broadcast).ballot == Ballot{1, 0});
  CHECK_FALSE(proposer.on_reply(0, promise({1, 0})).broadcast);
  out = proposer.on_reply(0, promise({1, 0}));  // duplicate: still one promise
  CHECK_FALSE(out.broadcast);
  out = proposer.on_reply(2, promise({1, 0}));
  REQUIRE(out.broadcast);
  CHECK(std::get<Accept>(*out.broadcast).value == 9);
  CHECK_FALSE(proposer.on_reply(1, Accepted{"k", {1, 0}, true, {1, 0}, {}}).done);
  out = proposer.on_reply(2, Accepted{"k", {1, 0}, true, {1, 0}, {}});
  REQUIRE(out.done);
  CHECK(out.done->command(0).status == bundled::OperationResult::Status::ok);
}

TEST_CASE("proposer: the function applies to the value with the highest accepted ballot", "[paxos]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::none}, "k", cas_command(4, 5));
  proposer.begin({9, 1});
  proposer.on_reply(0, promise({9, 1}, {3, 2}, 2));
  ProposerOutput out = proposer.on_reply(1, promise({9, 1}, {7, 0}, 4));
  REQUIRE(out.broadcast);
  CHECK(std::get<Accept>(*out.broadcast).value == 5);  // cas 4 -> 5 on the value of ballot 7.0
}

TEST_CASE("proposer: a cas that does not match still confirms the value, then answers mismatch", "[paxos]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::none}, "k", cas_command(1, 5));
  proposer.begin({2, 0});
  proposer.on_reply(0, promise({2, 0}, {1, 1}, 3));
  ProposerOutput out = proposer.on_reply(1, promise({2, 0}));
  REQUIRE(out.broadcast);
  CHECK(std::get<Accept>(*out.broadcast).value == 3);
  proposer.on_reply(0, Accepted{"k", {2, 0}, true, {2, 0}, {}});
  out = proposer.on_reply(1, Accepted{"k", {2, 0}, true, {2, 0}, {}});
  REQUIRE(out.done);
  CHECK(out.done->command(0).status == bundled::OperationResult::Status::cas_mismatch);
}

TEST_CASE("proposer: rejections retry above the highest ballot seen, then give up definitely", "[paxos]") {
  Proposer proposer(ProposerConfig{3, 2, bundled::Bug::none}, "k", write_command(1));
  proposer.begin({1, 0});
  CHECK_FALSE(proposer.on_reply(0, Promise{"k", {1, 0}, false, {8, 2}, {}, nullptr}).retry_above);
  ProposerOutput out = proposer.on_reply(1, Promise{"k", {1, 0}, false, {8, 2}, {}, nullptr});
  REQUIRE(out.retry_above);
  CHECK(*out.retry_above == 8);
  proposer.begin({9, 0});
  out = proposer.on_timeout();
  REQUIRE(out.done);
  CHECK(out.done->command(0).status == bundled::OperationResult::Status::failed);
  CHECK(out.done->definite);  // no accept was ever sent
}

TEST_CASE("proposer: a timed-out accept is sent again at the same ballot, then fails indefinitely", "[paxos]") {
  Proposer proposer(ProposerConfig{3, 2, bundled::Bug::none}, "k", write_command(1));
  proposer.begin({1, 0});
  proposer.on_reply(0, promise({1, 0}));
  REQUIRE(proposer.on_reply(1, promise({1, 0})).broadcast);
  const int round = proposer.round();
  ProposerOutput out = proposer.on_timeout();
  REQUIRE(out.broadcast);
  CHECK(std::get<Accept>(*out.broadcast).ballot == Ballot{1, 0});
  CHECK(proposer.round() == round + 1);
  out = proposer.on_timeout();  // attempts exhausted
  REQUIRE(out.done);
  CHECK(out.done->command(0).status == bundled::OperationResult::Status::failed);
  CHECK_FALSE(out.done->definite);
}

TEST_CASE("proposer: a write whose accept was rejected is completed, never applied again", "[paxos]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::none}, "k", cas_command(3, 4));
  proposer.begin({1, 0});
  proposer.on_reply(0, promise({1, 0}, {0, 0}, nullptr));
  proposer.on_reply(1, promise({1, 0}, {0, 2}, 3));  // the register holds 3: cas 3 -> 4 proposes 4
  proposer.on_reply(0, Accepted{"k", {1, 0}, false, {2, 1}, {}});
  ProposerOutput out = proposer.on_reply(1, Accepted{"k", {1, 0}, false, {2, 1}, {}});
  REQUIRE(out.retry_above);
  proposer.begin({3, 0});

  SECTION("its own proposal is still the highest accepted: propose the same value again") {
    proposer.on_reply(0, promise({3, 0}, {1, 0}, 4));
    out = proposer.on_reply(2, promise({3, 0}, {0, 2}, 3));
    REQUIRE(out.broadcast);
    CHECK(std::get<Accept>(*out.broadcast).value == 4);  // not cas applied again to 4
    proposer.on_reply(0, Accepted{"k", {3, 0}, true, {3, 0}, {}});
    out = proposer.on_reply(2, Accepted{"k", {3, 0}, true, {3, 0}, {}});
    REQUIRE(out.done);
    CHECK(out.done->command(0).status == bundled::OperationResult::Status::ok);
  }
  SECTION("a later proposal overtook it: the outcome is unknown") {
    proposer.on_reply(0, promise({3, 0}, {2, 1}, 4));
    out = proposer.on_reply(2, promise({3, 0}, {1, 0}, 4));
    REQUIRE(out.done);
    CHECK(out.done->command(0).status == bundled::OperationResult::Status::failed);
    CHECK_FALSE(out.done->definite);
  }
}

TEST_CASE("proposer: a read whose accept was rejected retries with a higher ballot", "[paxos]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::none}, "k", read_command());
  proposer.begin({1, 0});
  proposer.on_reply(0, promise({1, 0}));
  proposer.on_reply(1, promise({1, 0}));
  proposer.on_reply(0, Accepted{"k", {1, 0}, false, {2, 1}, {}});
  ProposerOutput out = proposer.on_reply(1, Accepted{"k", {1, 0}, false, {2, 1}, {}});
  CHECK_FALSE(out.done);
  REQUIRE(out.retry_above);
  CHECK(*out.retry_above == 2);
}

TEST_CASE("proposer: the planted bug paxos-minority-accept commits on one accept of three", "[paxos][bugs]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::paxos_minority_accept}, "k", write_command(1));
  proposer.begin({1, 0});
  proposer.on_reply(0, promise({1, 0}));
  proposer.on_reply(1, promise({1, 0}));
  ProposerOutput out = proposer.on_reply(0, Accepted{"k", {1, 0}, true, {1, 0}, {}});
  REQUIRE(out.done);
  CHECK(out.done->command(0).status == bundled::OperationResult::Status::ok);
}

TEST_CASE("acceptor: an accept carrying `next` also promises it, a resend of what it accepted is confirmed", "[paxos][fast-path]") {
  Acceptor acceptor;
  AcceptorStep step = acceptor.step(Accept{"k", {1, 0}, 7, {2, 0}});
  CHECK(std::get<Accepted>(step.reply).ok);
  REQUIRE(step.to_persist);  // the promise of 2.0 is durable with the accept
  CHECK(step.to_persist->second == AcceptorRecord{{2, 0}, {1, 0}, 7});
  // The same accept again (a resend after a lost reply): still ok, nothing to persist.
  step = acceptor.step(Accept{"k", {1, 0}, 7, {2, 0}});
  CHECK(std::get<Accepted>(step.reply).ok);
  CHECK_FALSE(step.to_persist);
  // Another proposer's lower ballot is refused; the rejection says what was accepted.
  step = acceptor.step(Accept{"k", {1, 5}, 9, {}});
  const Accepted& refused = std::get<Accepted>(step.reply);
  CHECK_FALSE(refused.ok);
  CHECK(refused.promised == Ballot{2, 0});
  CHECK(refused.accepted == Ballot{1, 0});
  // The fast accept at the promised ballot goes through.
  step = acceptor.step(Accept{"k", {2, 0}, 8, {3, 0}});
  CHECK(std::get<Accepted>(step.reply).ok);
  CHECK(acceptor.record("k")->promised == Ballot{3, 0});
}

TEST_CASE("proposer: a fast attempt accepts at once and earns the next fast path", "[paxos][fast-path]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::none}, "k", cas_command(4, 5));
  ProposerOutput out = proposer.begin_accepting({2, 0}, 4, {3, 0});
  REQUIRE(out.broadcast);
  const Accept& accept = std::get<Accept>(*out.broadcast);
  CHECK(accept.ballot == Ballot{2, 0});
  CHECK(accept.value == 5);
  CHECK(accept.next == Ballot{3, 0});
  proposer.on_reply(0, Accepted{"k", {2, 0}, true, {3, 0}, {}});
  out = proposer.on_reply(1, Accepted{"k", {2, 0}, true, {3, 0}, {}});
  REQUIRE(out.done);
  CHECK(out.done->command(0).status == bundled::OperationResult::Status::ok);
  CHECK(proposer.next_promised_by_majority());
  CHECK(proposer.next_ballot() == Ballot{3, 0});
  CHECK(proposer.value_after() == 5);
}

TEST_CASE("proposer: a fast attempt every acceptor proves it never accepted starts over, still definite", "[paxos][fast-path]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::none}, "k", write_command(6));
  proposer.begin_accepting({2, 0}, 4, {3, 0});
  // Two rejections prove nothing is chosen, but the third acceptor might have accepted: wait.
  CHECK_FALSE(proposer.on_reply(0, Accepted{"k", {2, 0}, false, {5, 1}, {1, 0}}).retry_above);
  ProposerOutput out = proposer.on_reply(1, Accepted{"k", {2, 0}, false, {5, 1}, {1, 0}});
  CHECK_FALSE(out.retry_above);
  CHECK_FALSE(out.done);
  out = proposer.on_reply(2, Accepted{"k", {2, 0}, false, {5, 1}, {1, 0}});
  REQUIRE(out.retry_above);
  CHECK(*out.retry_above == 5);
  // Started over: the write is applied afresh on what the prepare finds, not "recovered".
  out = proposer.begin({6, 0}, {7, 0});
  proposer.on_reply(0, promise({6, 0}, {5, 1}, 2));
  out = proposer.on_reply(1, promise({6, 0}, {5, 1}, 2));
  REQUIRE(out.broadcast);
  CHECK(std::get<Accept>(*out.broadcast).value == 6);
}

TEST_CASE("proposer: a fast attempt that an acceptor accepted but a majority refused is uncertain", "[paxos][fast-path]") {
  Proposer proposer(ProposerConfig{3, 1, bundled::Bug::none}, "k", write_command(6));
  proposer.begin_accepting({2, 0}, 4, {3, 0});
  proposer.on_reply(0, Accepted{"k", {2, 0}, true, {3, 0}, {}});
  proposer.on_reply(1, Accepted{"k", {2, 0}, false, {5, 1}, {1, 0}});
  ProposerOutput out = proposer.on_reply(2, Accepted{"k", {2, 0}, false, {5, 1}, {1, 0}});
  REQUIRE(out.done);  // one attempt allowed: gives up
  CHECK(out.done->command(0).status == bundled::OperationResult::Status::failed);
  CHECK_FALSE(out.done->definite);  // acceptor 0 holds it: it may yet be chosen
}

TEST_CASE("acceptor: a confirmation says whether anything above its ballot was promised, and persists nothing", "[paxos][fast-path]") {
  Acceptor acceptor;
  acceptor.step(Accept{"k", {1, 0}, 5, {2, 0}});  // accepted at 1.0, promised 2.0
  AcceptorStep step = acceptor.step(Confirm{"k", {2, 0}});
  CHECK(std::get<Confirmed>(step.reply).ok);
  CHECK_FALSE(step.to_persist);
  CHECK(std::get<Confirmed>(acceptor.step(Confirm{"other", {2, 0}}).reply).ok);  // nothing promised there
  acceptor.step(Prepare{"k", {3, 1}});  // another proposer
  step = acceptor.step(Confirm{"k", {2, 0}});
  CHECK_FALSE(std::get<Confirmed>(step.reply).ok);
  CHECK(std::get<Confirmed>(step.reply).promised == Ballot{3, 1});
}

TEST_CASE("proposer: reads on a fast path are answered by a majority's confirmation", "[paxos][fast-path]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::none}, "k", {read_command(), read_command()});
  REQUIRE(proposer.reads_only());
  ProposerOutput out = proposer.begin_fast({4, 0}, 7, [] {
    FAIL("a confirmation needs no next ballot");
    return Ballot{};
  });
  REQUIRE(out.broadcast);
  CHECK(std::get<Confirm>(*out.broadcast).ballot == Ballot{4, 0});
  CHECK_FALSE(proposer.on_reply(1, Confirmed{"k", {4, 0}, true, {4, 0}}).done);
  CHECK_FALSE(proposer.on_reply(1, Confirmed{"k", {4, 0}, true, {4, 0}}).done);  // duplicate
  out = proposer.on_reply(2, Confirmed{"k", {4, 0}, true, {3, 2}});
  REQUIRE(out.done);
  CHECK(out.done->command(0).value == 7);
  CHECK(out.done->command(1).value == 7);
  // The promise still holds: the next operation may use it.
  CHECK(proposer.next_promised_by_majority());
  CHECK(proposer.next_ballot() == Ballot{4, 0});
  CHECK(proposer.value_after() == 7);
}

TEST_CASE("proposer: a read that a majority cannot confirm reads with a prepare, still definite", "[paxos][fast-path]") {
  Proposer proposer(ProposerConfig{3, 5, bundled::Bug::none}, "k", read_command());
  proposer.begin_fast({4, 0}, 7, [] { return Ballot{}; });
  CHECK_FALSE(proposer.on_reply(0, Confirmed{"k", {4, 0}, false, {6, 1}}).retry_above);
  ProposerOutput out = proposer.on_reply(1, Confirmed{"k", {4, 0}, false, {6, 1}});
  REQUIRE(out.retry_above);
  CHECK(*out.retry_above == 6);  // above the ballot another proposer holds
  out = proposer.begin({7, 0});
  REQUIRE(out.broadcast);
  CHECK(std::holds_alternative<Prepare>(*out.broadcast));
  proposer.on_reply(0, promise({7, 0}, {6, 1}, 9));
  out = proposer.on_reply(1, promise({7, 0}, {6, 1}, 9));
  proposer.on_reply(0, Accepted{"k", {7, 0}, true, {7, 0}, {7, 0}});
  out = proposer.on_reply(1, Accepted{"k", {7, 0}, true, {7, 0}, {7, 0}});
  REQUIRE(out.done);
  CHECK(out.done->command(0).value == 9);  // the other proposer's value
  // A write is never confirmed: it goes to the accept round with the next ballot.
  Proposer writer(ProposerConfig{3, 5, bundled::Bug::none}, "k", write_command(1));
  out = writer.begin_fast({4, 0}, 7, [] { return Ballot{5, 0}; });
  REQUIRE(out.broadcast);
  CHECK(std::get<Accept>(*out.broadcast).next == Ballot{5, 0});
}
