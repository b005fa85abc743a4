// The list-append workload: what the generator draws, that a target without transactions is
// never asked to do one, and a simulated serial run through Elle's checker (valid), then the
// same run with one read gone stale (invalid).
#include "list_append_workload.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <sstream>

#include "fake_kv_client.h"
#include "history/history_literal.h"

using namespace faultline;
using nlohmann::json;

namespace {

std::vector<Invocation> draw(std::uint64_t seed, int count) {
  auto generator = make_list_append_workload("strict-serializable")->generator();
  std::mt19937_64 random(seed);
  std::vector<Invocation> ops;
  for (int i = 0; i < count; ++i) ops.push_back(generator->next(random));
  return ops;
}

// The transactions run one after another on an in-memory store: a JSONL history of one
// process, each transaction's completion holding what its reads returned. `stale`: the
// transaction at that position reads every key as it was before the run (nothing appended).
std::string serial_history(const std::vector<Invocation>& ops, std::optional<std::size_t> stale = std::nullopt) {
  std::map<std::int64_t, json> lists;
  std::ostringstream out;
  std::int64_t time = 0;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    json done = json::array();
    for (const json& micro : ops[i].value) {
      const std::int64_t key = micro[1].get<std::int64_t>();
      if (micro[0] == "append") {
        lists[key].push_back(micro[2]);
        done.push_back(micro);
      } else {
        const bool seen = lists.contains(key) && !(stale && *stale == i);
        done.push_back(json::array({"r", key, seen ? lists[key] : json(nullptr)}));
      }
    }
    out << json{{"process", 0}, {"type", "invoke"}, {"f", "txn"}, {"value", ops[i].value}, {"time", ++time}}.dump() << "\n";
    out << json{{"process", 0}, {"type", "ok"}, {"f", "txn"}, {"value", done}, {"time", ++time}}.dump() << "\n";
  }
  return out.str();
}

}  // namespace

TEST_CASE("list-append workload: transactions of 1-4 micro-ops, unique appends, few active keys, from the seed") {
  const std::vector<Invocation> ops = draw(7, 2000);
  const std::vector<Invocation> again = draw(7, 2000);
  for (std::size_t i = 0; i < ops.size(); ++i) REQUIRE(ops[i].value == again[i].value);
  std::map<std::int64_t, std::int64_t> last_appended;
  std::set<std::int64_t> retired;
  std::size_t reads = 0, appends = 0;
  for (const Invocation& op : ops) {
    REQUIRE(op.f == "txn");
    REQUIRE(op.value.is_array());
    CHECK(op.value.size() >= 1);
    CHECK(op.value.size() <= static_cast<std::size_t>(list_append_txn_length_max));
    for (const json& micro : op.value) {
      const std::int64_t key = micro[1].get<std::int64_t>();
      CHECK_FALSE(retired.contains(key));  // a retired key is never touched again
      if (micro[0] == "r") {
        CHECK(micro[2].is_null());
        ++reads;
        continue;
      }
      REQUIRE(micro[0] == "append");
      ++appends;
      // Each key's appends are 1, 2, 3, ...: unique, so a read tells which appends it saw.
      CHECK(micro[2].get<std::int64_t>() == ++last_appended[key]);
      if (last_appended[key] == list_append_writes_per_key_max) retired.insert(key);
    }
  }
  CHECK(reads > 1000);
  CHECK(appends > 1000);
  CHECK(retired.size() > 10);  // keys did rotate
}

TEST_CASE("list-append workload: a target without transactions is refused before anything is sent") {
  auto workload = make_list_append_workload("serializable");
  CHECK(workload->operations_used() == std::vector<std::string>{"txn"});
  FakeKvClient client;
  const ClientOutcome outcome = workload->perform(client, draw(1, 1).front());
  CHECK(outcome.type == OpType::fail);
  CHECK(client.requests.empty());
}

TEST_CASE("list-append workload: a serial run is valid, the same run with a stale read is not") {
  const std::vector<Invocation> ops = draw(3, 300);
  auto workload = make_list_append_workload("strict-serializable");
  const auto valid = workload->check(test::history_from_jsonl(serial_history(ops)));
  REQUIRE(valid.size() == 1);
  CHECK(valid[0].checker == "list-append");
  CHECK(valid[0].result.verdict == Verdict::valid);

  // A late transaction that reads a key appended to before: reading it as never written is a
  // read of the past, which no serial order allows.
  std::optional<std::size_t> stale;
  std::set<std::int64_t> appended;
  for (std::size_t i = 0; i < ops.size() && !stale; ++i) {
    for (const json& micro : ops[i].value) {
      if (micro[0] == "r" && appended.contains(micro[1].get<std::int64_t>()) && i > 100) stale = i;
    }
    for (const json& micro : ops[i].value)
      if (micro[0] == "append") appended.insert(micro[1].get<std::int64_t>());
  }
  REQUIRE(stale.has_value());
  const auto invalid = workload->check(test::history_from_jsonl(serial_history(ops, stale)));
  CHECK(invalid[0].result.verdict == Verdict::invalid);
}
