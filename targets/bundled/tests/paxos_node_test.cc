// The node's state machine (paxos/paxos_node.h) on its own: events in, Ready out, against
// literal expectations. Three nodes are wired together in memory where a test needs replies.
#include <catch2/catch.hpp>

#include <deque>

#include "../paxos/paxos_node.h"
#include "paxos_commands.h"

using namespace faultline;
using namespace faultline::paxos;
using namespace faultline::paxos::testing;

namespace {

PaxosNodeConfig config_of(std::size_t self, bundled::Bug bug = bundled::Bug::none) {
  PaxosNodeConfig config;
  config.cluster_size = 3;
  config.self = self;
  config.bug = bug;
  config.attempt_timeout_us = 1'000;
  config.backoff_max_us = 100;
  config.key_queue_wait_us_max = 5'000;
  config.leader_suspicion_us = 2'000;
  config.leader_slow_us = 2'000;
  return config;
}

// Three nodes whose messages arrive at once, in the order sent; answers to clients collect.
struct Cluster {
  std::vector<PaxosNode> nodes;
  std::vector<std::pair<std::size_t, ClientAnswer>> answers;  // (node, answer)
  std::vector<std::pair<std::size_t, Forward>> forwards;      // not delivered: tests answer them
  std::vector<std::pair<std::size_t, TimerRequest>> timers;
  std::vector<std::uint64_t> cancelled_timers;
  std::int64_t now_us = 0;

  Cluster() {
    for (std::size_t n = 0; n < 3; ++n) nodes.emplace_back(config_of(n), PaxosNodeDurable{});
  }

  void step(std::size_t node, const PaxosEvent& event) { run(node, nodes[node].step(event, now_us)); }

  void run(std::size_t node, Ready ready) {
    std::deque<std::pair<std::size_t, Ready>> pending{{node, std::move(ready)}};
    while (!pending.empty()) {
      auto [from, r] = std::move(pending.front());
      pending.pop_front();
      for (const Send& send : r.sends) {
        Ready answered = nodes[send.to].step(AcceptorRequestIn{send.request}, now_us);
        REQUIRE(answered.acceptor_reply);
        pending.emplace_back(from, nodes[from].step(AcceptorReplyIn{send.to, send.tag, *answered.acceptor_reply}, now_us));
      }
      for (ClientAnswer& answer : r.answers) answers.emplace_back(from, std::move(answer));
      for (Forward& forward : r.forwards) forwards.emplace_back(from, std::move(forward));
      for (const TimerRequest& timer : r.timers) timers.emplace_back(from, timer);
      for (std::uint64_t id : r.cancelled_timers) cancelled_timers.push_back(id);
    }
  }
};

}  // namespace

TEST_CASE("paxos node: a client operation goes to every acceptor, with a reserved ballot and a timeout", "[paxos-node]") {
  PaxosNode node(config_of(0), PaxosNodeDurable{});
  const Ready ready = node.step(ClientOperation{1, "k", write_command(5), false}, 100);
  REQUIRE(ready.sends.size() == 3);
  for (std::size_t to = 0; to < 3; ++to) {
    CHECK(ready.sends[to].to == to);
    CHECK(ready.sends[to].tag == ready.sends[0].tag);
    CHECK(std::holds_alternative<Prepare>(ready.sends[to].request));
  }
  CHECK(ready.ballot_reservation > 0);  // persisted before the ballot leaves the node
  REQUIRE(ready.timers.size() == 1);
  CHECK(ready.timers[0].at_us == 1'100);
  CHECK(ready.answers.empty());
  CHECK(node.operations_here() == 1);
}

TEST_CASE("paxos node: three nodes in memory answer a write and then a read", "[paxos-node]") {
  Cluster cluster;
  cluster.step(0, ClientOperation{1, "k", write_command(5), false});
  REQUIRE(cluster.answers.size() == 1);
  CHECK(cluster.answers[0].second.result.status == bundled::OperationResult::Status::ok);
  // Each round armed a timeout; the next round and the end cancelled it, so none need run.
  REQUIRE(cluster.timers.size() == 2);
  CHECK(cluster.cancelled_timers == std::vector<std::uint64_t>{cluster.timers[0].second.id, cluster.timers[1].second.id});
  CHECK(cluster.nodes[0].step(TimerDue{cluster.timers[0].second.id}, 5'000).sends.empty());  // cancelled: nothing
  cluster.step(0, ClientOperation{2, "k", read_command(), false});
  REQUIRE(cluster.answers.size() == 2);
  CHECK(cluster.answers[1].second.result.value == 5);
  // The read was confirmed on the fast path the write left (no new accept).
  CHECK(cluster.nodes[0].counters().confirmed_reads == 1);
  CHECK(cluster.nodes[0].operations_here() == 0);
}

TEST_CASE("paxos node: acceptor requests yield a reply and the record to persist first", "[paxos-node]") {
  PaxosNode node(config_of(1), PaxosNodeDurable{});
  Ready ready = node.step(AcceptorRequestIn{Prepare{"k", Ballot{3, 0}}}, 0);
  REQUIRE(ready.acceptor_reply);
  CHECK(std::get<Promise>(*ready.acceptor_reply).ok);
  REQUIRE(ready.records.size() == 1);
  CHECK(ready.records[0].second.promised == Ballot{3, 0});
  CHECK_FALSE(ready.records_may_lag);

  PaxosNode buggy(config_of(1, bundled::Bug::paxos_reply_before_persist), PaxosNodeDurable{});
  CHECK(buggy.step(AcceptorRequestIn{Prepare{"k", Ballot{3, 0}}}, 0).records_may_lag);
}

TEST_CASE("paxos node: a restarted node resumes above its persisted reservation and keeps its promises", "[paxos-node]") {
  PaxosNodeDurable durable;
  durable.records["k"] = AcceptorRecord{Ballot{9, 2}, Ballot{}, nullptr};
  durable.ballot_reserved = 4'096;
  PaxosNode node(config_of(0), durable);
  const Ready rejected = node.step(AcceptorRequestIn{Prepare{"k", Ballot{8, 1}}}, 0);
  CHECK_FALSE(std::get<Promise>(*rejected.acceptor_reply).ok);
  const Ready ready = node.step(ClientOperation{1, "other", read_command(), false}, 0);
  REQUIRE_FALSE(ready.sends.empty());
  CHECK(std::get<Prepare>(ready.sends[0].request).ballot.counter > 4'096);
}

TEST_CASE("paxos node: operations on a busy key wait and go as one batch", "[paxos-node]") {
  PaxosNode node(config_of(0), PaxosNodeDurable{});
  const Ready first = node.step(ClientOperation{1, "k", write_command(1), false}, 0);
  CHECK(node.step(ClientOperation{2, "k", write_command(2), false}, 10).sends.empty());
  CHECK(node.step(ClientOperation{3, "k", read_command(), false}, 20).sends.empty());
  CHECK(node.operations_here() == 3);
  // The first instance fails (every prepare rejected, then its timers run out): the two waiting
  // go together as the next instance.
  const std::uint64_t tag = first.sends[0].tag;
  Ready after;
  for (std::size_t from = 0; from < 3; ++from) {
    Promise rejected{"k", std::get<Prepare>(first.sends[0].request).ballot, false, Ballot{1'000'000, 2}, {}, nullptr};
    Ready r = node.step(AcceptorReplyIn{from, tag, rejected}, 30);
    if (!r.timers.empty()) after = std::move(r);
  }
  CHECK(node.counters().rejections >= 2);
  // Replies for another instance (a stale tag) change nothing.
  CHECK(node.step(AcceptorReplyIn{0, tag + 100, Promise{"k", Ballot{}, true, Ballot{}, Ballot{}, nullptr}}, 30).sends.empty());
  REQUIRE(after.timers.size() == 1);  // the backoff before a higher ballot
  const Ready retry = node.step(TimerDue{after.timers[0].id}, after.timers[0].at_us);
  REQUIRE(retry.sends.size() == 3);
  CHECK(std::get<Prepare>(retry.sends[0].request).ballot.counter > 1'000'000);
}

TEST_CASE("paxos node: an operation queued longer than the limit is not started", "[paxos-node]") {
  Cluster cluster;
  // Node 0's first operation waits for acceptors that never answer (its Ready is dropped).
  const Ready lost = cluster.nodes[0].step(ClientOperation{1, "k", write_command(1), false}, 0);
  CHECK(cluster.nodes[0].step(ClientOperation{2, "k", write_command(2), false}, 0).sends.empty());
  // The first times out in every attempt; when it ends, the second has waited too long.
  std::vector<TimerRequest> due = lost.timers;
  std::vector<ClientAnswer> answers;
  std::int64_t now = 0;
  while (!due.empty() && answers.size() < 2) {
    const TimerRequest timer = due.front();
    due.erase(due.begin());
    now = std::max(now, timer.at_us);
    Ready ready = cluster.nodes[0].step(TimerDue{timer.id}, now);
    for (const TimerRequest& t : ready.timers) due.push_back(t);
    std::sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.at_us < b.at_us; });
    for (ClientAnswer& answer : ready.answers) answers.push_back(std::move(answer));
  }
  REQUIRE(answers.size() == 2);
  CHECK(answers[0].id == 1);
  CHECK(answers[0].result.status == bundled::OperationResult::Status::failed);
  CHECK(answers[1].id == 2);
  CHECK(answers[1].result.definite);
  CHECK(answers[1].result.error.find("not started") != std::string::npos);
  CHECK(cluster.nodes[0].counters().operations_not_started == 1);
}

TEST_CASE("paxos node: a follower forwards to the leader, and to the next candidate when nothing was sent",
          "[paxos-node][leader]") {
  PaxosNode node(config_of(2), PaxosNodeDurable{});
  Ready ready = node.step(ClientOperation{7, "k", write_command(1), false}, 0);
  REQUIRE(ready.forwards.size() == 1);
  CHECK(ready.forwards[0].to == 0);
  CHECK(ready.sends.empty());
  // Node 0 refused the connection: node 1 is asked next.
  ready = node.step(ForwardAnswered{7, std::nullopt, false, "connection refused"}, 10);
  REQUIRE(ready.forwards.size() == 1);
  CHECK(ready.forwards[0].to == 1);
  CHECK(ready.log.size() == 1);
  // Node 1 answers.
  bundled::OperationResult ok;
  ok.status = bundled::OperationResult::Status::ok;
  ok.definite = true;
  ready = node.step(ForwardAnswered{7, ok, true, ""}, 20);
  REQUIRE(ready.answers.size() == 1);
  CHECK(ready.answers[0].id == 7);
  CHECK(ready.answers[0].result.status == bundled::OperationResult::Status::ok);
  CHECK(node.counters().operations_forwarded == 1);
  CHECK(node.counters().forwards_failed == 1);

  // A forward that may have arrived and got no answer: a write's outcome is unknown, a read's is
  // not (it changed nothing).
  ready = node.step(ClientOperation{8, "k", write_command(2), false}, 5'000);
  REQUIRE(ready.forwards.size() == 1);
  ready = node.step(ForwardAnswered{8, std::nullopt, true, "timed out"}, 6'000);
  REQUIRE(ready.answers.size() == 1);
  CHECK_FALSE(ready.answers[0].result.definite);
  // The leader that did not answer is passed over for a while: node 1 is asked.
  ready = node.step(ClientOperation{9, "k", read_command(), false}, 6'100);
  REQUIRE(ready.forwards.size() == 1);
  CHECK(ready.forwards[0].to == 1);
  // After the suspicion, node 0 is tried again.
  ready = node.step(ClientOperation{10, "k", read_command(), false}, 8'200);
  REQUIRE(ready.forwards.size() == 1);
  CHECK(ready.forwards[0].to == 0);
  // A forwarded operation is proposed here, whoever this node thinks leads.
  PaxosNode follower(config_of(1), PaxosNodeDurable{});
  CHECK(follower.step(ClientOperation{1, "x", read_command(), true}, 0).sends.size() == 3);
}

TEST_CASE("leader choice: the rule before b30b6ce passes a healed leader over while old forwards hang", "[leader]") {
  LeaderChoice fixed(3, 2, 1'000, 500);
  LeaderChoice old(3, 2, 1'000, 500, true);
  for (LeaderChoice* choice : {&fixed, &old}) {
    choice->forward_started(0, 0);  // cut off: never answered until it times out
    choice->forward_started(1, 0);
  }
  CHECK(fixed.leader(600) == 2);
  CHECK(old.leader(600) == 2);
  // Healed at 1,000; the forwards of 0 still hang (they time out at 10,000).
  CHECK(fixed.leader(1'700) == 0);
  CHECK(old.leader(1'700) == 2);
  CHECK(old.leader(9'999) == 2);
  old.forward_ended(0, 0, false, 10'000);
  old.forward_ended(1, 0, false, 10'000);
  CHECK(old.leader(11'000) == 0);
}

TEST_CASE("paxos node: a transaction is one consensus instance over the transactional keyspace", "[paxos-node][txn]") {
  Cluster cluster;
  const RegisterCommand append{RegisterCommand::Kind::txn, nlohmann::json::parse(R"([["append", 1, 5], ["append", 2, 6]])"), nullptr, nullptr};
  cluster.step(0, ClientOperation{1, txn_register_key, append, false});
  REQUIRE(cluster.answers.size() == 1);
  CHECK(cluster.answers[0].second.result.status == bundled::OperationResult::Status::ok);
  const RegisterCommand read{RegisterCommand::Kind::txn, nlohmann::json::parse(R"([["r", 1, null], ["r", 2, null]])"), nullptr, nullptr};
  cluster.step(0, ClientOperation{2, txn_register_key, read, false});
  REQUIRE(cluster.answers.size() == 2);
  CHECK(cluster.answers[1].second.result.value == nlohmann::json::parse(R"([["r", 1, [5]], ["r", 2, [6]]])"));
  // One register holds both keys, and a read-only transaction was confirmed, not accepted.
  CHECK(cluster.nodes[0].learned().size() == 1);
  CHECK(cluster.nodes[0].counters().confirmed_reads == 1);
}

TEST_CASE("paxos node: paxos-txn-split commits each key in an instance of its own", "[paxos-node][txn]") {
  Cluster cluster;
  for (std::size_t n = 0; n < 3; ++n) cluster.nodes[n] = PaxosNode(config_of(n, bundled::Bug::paxos_txn_split), PaxosNodeDurable{});
  const RegisterCommand txn{RegisterCommand::Kind::txn,
                            nlohmann::json::parse(R"([["append", 1, 5], ["r", 2, null], ["append", 2, 6], ["r", 1, null]])"),
                            nullptr, nullptr};
  cluster.step(0, ClientOperation{7, txn_register_key, txn, false});
  REQUIRE(cluster.answers.size() == 1);  // the client sees one answer, its parts put back in place
  CHECK(cluster.answers[0].second.id == 7);
  CHECK(cluster.answers[0].second.result.value ==
        nlohmann::json::parse(R"([["append", 1, 5], ["r", 2, null], ["append", 2, 6], ["r", 1, [5]]])"));
  CHECK(cluster.nodes[0].learned().size() == 2);  // a register per key
  CHECK(cluster.nodes[0].operations_here() == 0);
}
