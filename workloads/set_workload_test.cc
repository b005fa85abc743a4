// The set workload: what the generator draws, every path of an add (the retry loop and each
// outcome), the read of all shards, and a simulated run through the set checker.
#include "set_workload.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "fake_kv_client.h"
#include "history/history.h"

using namespace faultline;
using nlohmann::json;

namespace {

const ClientOutcome refused{OpType::fail, nullptr, "connection refused"};
const ClientOutcome timed_out{OpType::info, nullptr, "timed out"};

FakeKvClient::Step answer(ClientOutcome outcome, bool apply = false) { return {nullptr, std::move(outcome), apply}; }

// Another client's add slips in before this request: the shard holds `value` from now on.
FakeKvClient::Step meanwhile(std::string key, json value) {
  return {[key, value](FakeKvClient::Store& store) { store[key] = value; }, std::nullopt, false};
}

}  // namespace

TEST_CASE("set workload: adds 0, 1, 2, ... in order, with about one read in ten, deterministic from the seed") {
  auto w = make_set_workload();
  auto draw = [&](std::uint64_t seed) {
    auto generator = w->generator();
    std::mt19937_64 random(seed);
    std::vector<Invocation> ops;
    for (int i = 0; i < 1000; ++i) ops.push_back(generator->next(random));
    return ops;
  };
  const std::vector<Invocation> ops = draw(5);
  std::int64_t expected = 0, reads = 0;
  for (const Invocation& op : ops) {
    CHECK_FALSE(op.key.has_value());
    if (op.f == "read") {
      ++reads;
      CHECK(op.value.is_null());
    } else {
      REQUIRE(op.f == "add");
      CHECK(op.value == expected++);
    }
  }
  CHECK(reads > 50);
  CHECK(reads < 150);
  const std::vector<Invocation> again = draw(5), other = draw(6);
  auto fs = [](const std::vector<Invocation>& v) {
    std::string text;
    for (const Invocation& op : v) text += op.f[0];
    return text;
  };
  CHECK(fs(again) == fs(ops));
  CHECK(fs(other) != fs(ops));
  REQUIRE(w->final_ops().size() == 1);
  CHECK(w->final_ops()[0].f == "read");
  CHECK(w->final_ops()[0].value.is_null());
}

TEST_CASE("set workload: the shard of an element") {
  CHECK(set_shard_key(0) == "set-0");
  CHECK(set_shard_key(9) == "set-1");
  CHECK(set_shard_key(15) == "set-7");
  CHECK(set_shard_key(-1) == "set-7");
}

TEST_CASE("set workload: an add reads the shard and cas-es it from what it read") {
  auto w = make_set_workload();
  FakeKvClient client;
  CHECK(w->perform(client, {"add", std::nullopt, 0}).type == OpType::ok);
  CHECK(w->perform(client, {"add", std::nullopt, 8}).type == OpType::ok);
  CHECK(w->perform(client, {"add", std::nullopt, 9}).type == OpType::ok);
  CHECK(client.store["set-0"] == json::array({0, 8}));
  CHECK(client.store["set-1"] == json::array({9}));
  CHECK(client.requests == std::vector<std::string>{"read set-0", "cas set-0 null [0]", "read set-0",
                                                    "cas set-0 [0] [0,8]", "read set-1", "cas set-1 null [9]"});
}

TEST_CASE("set workload: an add whose cas lost a race reads again and retries") {
  auto w = make_set_workload();
  FakeKvClient client;
  client.script = {answer({OpType::ok, nullptr, ""}), meanwhile("set-0", json::array({16}))};
  // The read answers null (as the script says), another add makes the shard [16], the cas
  // from null fails, the add reads [16] and cas-es [16] -> [16,0].
  ClientOutcome outcome = w->perform(client, {"add", std::nullopt, 0});
  CHECK(outcome.type == OpType::ok);
  CHECK(client.store["set-0"] == json::array({16, 0}));
  CHECK(client.requests ==
        std::vector<std::string>{"read set-0", "cas set-0 null [0]", "read set-0", "cas set-0 [16] [16,0]"});
}

TEST_CASE("set workload: the outcome of an add") {
  auto w = make_set_workload();
  FakeKvClient client;
  client.store["set-3"] = json::array({3});
  const Invocation add11{"add", std::nullopt, 11};

  SECTION("a refused read before any cas: fail, nothing sent after it") {
    client.script = {answer(refused)};
    ClientOutcome outcome = w->perform(client, add11);
    CHECK(outcome.type == OpType::fail);
    CHECK(outcome.error.find("connection refused") != std::string::npos);
    CHECK(client.requests.size() == 1);
  }
  SECTION("a read of unknown outcome: still fail, since no cas was sent") {
    client.script = {answer(timed_out)};
    CHECK(w->perform(client, add11).type == OpType::fail);
    CHECK(client.store["set-3"] == json::array({3}));
  }
  SECTION("a cas of unknown outcome: info, and no retry") {
    client.script = {{}, answer(timed_out, true)};
    ClientOutcome outcome = w->perform(client, add11);
    CHECK(outcome.type == OpType::info);
    CHECK(outcome.error.find("timed out") != std::string::npos);
    CHECK(client.requests.size() == 2);
    CHECK(client.store["set-3"] == json::array({3, 11}));  // it did apply, as a timeout may
  }
  SECTION("a definite cas failure, then a refused read: fail") {
    client.script = {{}, answer(refused), answer(refused)};
    CHECK(w->perform(client, add11).type == OpType::fail);
    CHECK(client.requests == std::vector<std::string>{"read set-3", "cas set-3 [3] [3,11]", "read set-3"});
  }
  SECTION("every cas loses its race: fail after set_add_attempts_max attempts") {
    for (int attempt = 0; attempt < set_add_attempts_max; ++attempt) {
      client.script.push_back({});  // the read
      client.script.push_back(meanwhile("set-3", json::array({3, 100 + attempt})));
    }
    ClientOutcome outcome = w->perform(client, add11);
    CHECK(outcome.type == OpType::fail);
    CHECK(outcome.error.find("gave up after " + std::to_string(set_add_attempts_max)) == 0);
    CHECK(client.requests.size() == 2 * set_add_attempts_max);
  }
  SECTION("a shard that is not an array: fail, nothing written") {
    client.store["set-3"] = "garbage";
    CHECK(w->perform(client, add11).type == OpType::fail);
    CHECK(client.requests.size() == 1);
  }
  SECTION("ok carries the element") {
    ClientOutcome outcome = w->perform(client, add11);
    CHECK(outcome.type == OpType::ok);
    CHECK(outcome.value == 11);
  }
}

TEST_CASE("set workload: a read answers every shard's elements, sorted, duplicates kept") {
  auto w = make_set_workload();
  FakeKvClient client;
  client.store["set-0"] = json::array({8, 0, 0});
  client.store["set-1"] = json::array({1});
  ClientOutcome read = w->perform(client, {"read", std::nullopt, nullptr});
  CHECK(read.type == OpType::ok);
  CHECK(read.value == json::array({0, 0, 1, 8}));
  CHECK(client.requests.size() == static_cast<std::size_t>(set_shard_count));

  SECTION("an empty set reads as []") {
    FakeKvClient empty;
    CHECK(w->perform(empty, {"read", std::nullopt, nullptr}).value == json::array());
  }
  SECTION("one shard unreadable: fail") {
    client.script = {{}, {}, answer(timed_out)};
    ClientOutcome failed = w->perform(client, {"read", std::nullopt, nullptr});
    CHECK(failed.type == OpType::fail);
    CHECK(failed.error.find("set-2") != std::string::npos);
  }
}

namespace {

// Runs `count` drawn ops one at a time, then the final reads from two "nodes", recording the
// history as the harness would. `during` may interfere with the store before each op.
History simulated_run(FakeKvClient& client, int count,
                      const std::function<void(std::int64_t op, FakeKvClient&)>& during) {
  auto w = make_set_workload();
  auto generator = w->generator();
  std::mt19937_64 random(11);
  HistoryBuilder builder("simulated");
  std::int64_t time_ns = 0;
  auto run = [&](const Invocation& invocation, std::int64_t process) {
    Op op;
    op.process = process;
    op.f = invocation.f;
    op.value = invocation.value;
    op.time_ns = ++time_ns;
    REQUIRE(builder.add(op, 0).has_value());
    ClientOutcome outcome = w->perform(client, invocation);
    op.type = outcome.type;
    if (!outcome.value.is_null()) op.value = outcome.value;
    op.time_ns = ++time_ns;
    REQUIRE(builder.add(op, 0).has_value());
  };
  for (std::int64_t i = 0; i < count; ++i) {
    during(i, client);
    run(generator->next(random), 0);
  }
  for (std::int64_t node = 1; node <= 2; ++node) run(w->final_ops()[0], node);
  return std::move(builder).finish();
}

}  // namespace

TEST_CASE("set workload: a run on a linearizable store is valid, an overwritten add is lost") {
  FakeKvClient client;
  SECTION("valid") {
    History history = simulated_run(client, 200, [](std::int64_t, FakeKvClient&) {});
    auto results = make_set_workload()->check(history);
    REQUIRE(results.size() == 1);
    CHECK(results[0].checker == "set");
    CHECK(results[0].result.verdict == Verdict::valid);
    CHECK(results[0].result.details["final_reads"] == 2);
    CHECK(results[0].result.details["adds"]["ok"].get<std::int64_t>() > 150);
  }
  SECTION("lost") {
    // After op 50, set-2 goes back to what it held after op 20: a non-atomic cas overwrote it.
    json saved;
    History history = simulated_run(client, 200, [&](std::int64_t op, FakeKvClient& c) {
      if (op == 20) saved = c.store["set-2"];
      if (op == 50) c.store["set-2"] = saved;
    });
    CheckResult result = make_set_workload()->check(history)[0].result;
    CHECK(result.verdict == Verdict::invalid);
    CHECK(result.details["lost_count"].get<int>() >= 1);
    for (const json& lost : result.details["lost"])
      CHECK(set_shard_key(lost["element"].get<std::int64_t>()) == "set-2");
  }
}

TEST_CASE(
    "set workload: over random overwrites, the checker's lost elements are exactly the acknowledged ones missing at "
    "the end") {
  constexpr int seeds = 50;
  constexpr int ops_per_run = 300;
  for (std::uint64_t seed = 0; seed < seeds; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 chaos(seed);
    FakeKvClient client;
    std::map<std::string, json> snapshots;
    // Now and then a shard goes back to an earlier value (a non-atomic cas overwrote it), or
    // an element is stored twice.
    History history = simulated_run(client, ops_per_run, [&](std::int64_t, FakeKvClient& c) {
      const std::string key = set_shard_key(static_cast<std::int64_t>(chaos() % set_shard_count));
      const std::uint64_t roll = chaos() % 1000;
      if (roll < 25) {
        snapshots[key] = c.store[key];
      } else if (roll < 27 && snapshots.contains(key)) {
        c.store[key] = snapshots[key];
      } else if (roll < 28 && c.store[key].is_array() && !c.store[key].empty()) {
        c.store[key].push_back(c.store[key][0]);
      }
    });
    std::set<std::int64_t> present, duplicated;
    for (const auto& [key, value] : client.store) {
      if (value.is_null()) continue;
      for (const json& element : value) {
        if (!present.insert(element.get<std::int64_t>()).second) duplicated.insert(element.get<std::int64_t>());
      }
    }
    std::size_t expected_lost = 0;
    for (std::size_t i = 0; i < history.size(); ++i) {
      const Op& op = history[i];
      if (op.f == "add" && op.type == OpType::ok && !present.contains(op.value.get<std::int64_t>())) ++expected_lost;
    }
    CheckResult result = make_set_workload()->check(history)[0].result;
    CHECK(result.details["lost_count"] == expected_lost);
    // Both final reads see the same store, so each duplicate is seen twice.
    CHECK(result.details["duplicated_count"].get<std::size_t>() >= 2 * duplicated.size());
    CHECK(result.details["unexpected_count"] == 0);
    CHECK(result.verdict == (expected_lost + duplicated.size() > 0 ? Verdict::invalid : Verdict::valid));
  }
}
