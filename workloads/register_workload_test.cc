// The register and kv workloads: what the generators draw, what perform() asks of the client,
// and that the checker they bring judges literal histories as expected.
#include <catch2/catch.hpp>
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "fake_kv_client.h"
#include "history/history_format.h"
#include "register_workload.h"
#include "workload.h"

using namespace faultline;
using nlohmann::json;

namespace {

std::unique_ptr<Workload> workload(const std::string& name, int keys = 10, int values = 5) {
  WorkloadOptions options;
  options.name = name;
  options.keys = keys;
  options.values = values;
  auto made = make_workload(options);
  REQUIRE(made.has_value());
  return std::move(*made);
}

std::vector<Invocation> draw(const Workload& w, std::uint64_t seed, int count) {
  auto generator = w.generator();
  std::mt19937_64 random(seed);
  std::vector<Invocation> ops;
  for (int i = 0; i < count; ++i) ops.push_back(generator->next(random));
  return ops;
}

std::string show(const std::vector<Invocation>& ops) {
  std::string text;
  for (const Invocation& op : ops) text += op.f + " " + op.key.value_or("-") + " " + op.value.dump() + "\n";
  return text;
}

History jsonl(const std::string& text) {
  std::istringstream in(text);
  auto history = read_history(in, "literal", HistoryFormat::jsonl);
  REQUIRE(history.has_value());
  return std::move(*history);
}

}  // namespace

TEST_CASE("register: the generator is deterministic from the seed") {
  auto w = workload("register");
  CHECK(show(draw(*w, 7, 200)) == show(draw(*w, 7, 200)));
  CHECK(show(draw(*w, 7, 200)) != show(draw(*w, 8, 200)));
}

TEST_CASE("register: with many values a cas compares with a value recently written to its key") {
  auto w = workload("kv", 2, 1000);
  std::map<std::string, std::vector<std::int64_t>> written;  // per key, every value written so far
  int cas_count = 0, cas_from_recent = 0;
  for (const Invocation& op : draw(*w, 3, 2000)) {
    if (op.f == "write") written[*op.key].push_back(op.value.get<std::int64_t>());
    if (op.f != "cas") continue;
    ++cas_count;
    const std::vector<std::int64_t>& mine = written[*op.key];
    const auto last = mine.size() > register_cas_recent_values ? mine.end() - register_cas_recent_values : mine.begin();
    if (std::find(last, mine.end(), op.value[0].get<std::int64_t>()) != mine.end()) ++cas_from_recent;
    written[*op.key].push_back(op.value[1].get<std::int64_t>());
  }
  REQUIRE(cas_count > 500);
  CHECK(cas_from_recent >= cas_count - 2);  // all but a key's first cas, before anything was written
  // With few values, from stays a random draw (seeds keep the ops they always had).
  auto few = workload("register", 10, 5);
  int recent_with_few = 0, cas_with_few = 0;
  std::int64_t last_written = -1;
  for (const Invocation& op : draw(*few, 3, 2000)) {
    if (op.f == "write") last_written = op.value.get<std::int64_t>();
    if (op.f == "cas") {
      ++cas_with_few;
      recent_with_few += op.value[0] == last_written;
      last_written = op.value[1].get<std::int64_t>();
    }
  }
  CHECK(recent_with_few < cas_with_few / 2);
}

TEST_CASE("register: ops on key r, reads of null, writes of 0..values-1, cas [from, to]") {
  auto w = workload("register", 10, 3);
  std::map<std::string, int> fs;
  std::set<std::int64_t> written;
  for (const Invocation& op : draw(*w, 1, 600)) {
    ++fs[op.f];
    REQUIRE(op.key == "r");
    if (op.f == "read") {
      CHECK(op.value.is_null());
    } else if (op.f == "write") {
      REQUIRE(op.value.is_number_integer());
      written.insert(op.value.get<std::int64_t>());
    } else {
      REQUIRE(op.f == "cas");
      REQUIRE(op.value.is_array());
      REQUIRE(op.value.size() == 2);
      for (const json& v : op.value) CHECK((v.is_number_integer() && v >= 0 && v < 3));
    }
  }
  CHECK(written == std::set<std::int64_t>{0, 1, 2});
  // An even mix: each function about a third of 600.
  for (const char* f : {"read", "write", "cas"}) {
    CHECK(fs[f] > 150);
    CHECK(fs[f] < 250);
  }
  // Finally, a read of its one key (from every node: the harness runs them per node).
  REQUIRE(w->final_ops().size() == 1);
  CHECK(w->final_ops()[0].f == "read");
  CHECK(w->final_ops()[0].key == "r");
  CHECK(workload("kv", 7)->final_ops().size() == 7);
}

TEST_CASE("register without cas: reads and writes only, about half each") {
  WorkloadOptions options;
  options.cas = false;
  auto made = make_workload(options);
  REQUIRE(made.has_value());
  std::map<std::string, int> fs;
  for (const Invocation& op : draw(**made, 2, 600)) ++fs[op.f];
  CHECK(fs.count("cas") == 0);
  CHECK(fs["read"] > 250);
  CHECK(fs["write"] > 250);
  CHECK((*made)->describe()["operations"] == json::array({"read", "write"}));
  options.name = "set";
  auto set = make_workload(options);
  REQUIRE_FALSE(set.has_value());
  CHECK_THAT(set.error(), Catch::Contains("--no-cas"));
}

TEST_CASE("kv: ops spread over k0..k<keys-1>") {
  auto w = workload("kv", 4);
  std::set<std::string> keys;
  for (const Invocation& op : draw(*w, 3, 400)) keys.insert(op.key.value());
  CHECK(keys == std::set<std::string>{"k0", "k1", "k2", "k3"});
  CHECK(w->describe()["keys"] == 4);
}

TEST_CASE("register: perform sends each op to the client as it is") {
  auto w = workload("kv");
  FakeKvClient client;
  CHECK(w->perform(client, {"write", "k1", 3}).type == OpType::ok);
  CHECK(client.store["k1"] == 3);
  ClientOutcome read = w->perform(client, {"read", "k1", nullptr});
  CHECK(read.type == OpType::ok);
  CHECK(read.value == 3);
  CHECK(w->perform(client, {"cas", "k1", json::array({3, 4})}).type == OpType::ok);
  CHECK(client.store["k1"] == 4);
  CHECK(w->perform(client, {"cas", "k1", json::array({3, 1})}).type == OpType::fail);
  CHECK(w->perform(client, {"read", "k2", nullptr}).value.is_null());
  CHECK(client.requests == std::vector<std::string>{"write k1 3", "read k1", "cas k1 3 4", "cas k1 3 1", "read k2"});

  SECTION("an unknown outcome comes back as it is") {
    client.script.push_back({nullptr, ClientOutcome{OpType::info, nullptr, "timed out"}, true});
    ClientOutcome timed_out = w->perform(client, {"write", "k1", 2});
    CHECK(timed_out.type == OpType::info);
    CHECK(timed_out.error == "timed out");
  }
  SECTION("an op it cannot perform fails without a request") {
    CHECK(w->perform(client, {"cas", "k1", 3}).type == OpType::fail);
    CHECK(w->perform(client, {"read", std::nullopt, nullptr}).type == OpType::fail);
    CHECK(client.requests.size() == 5);
  }
}

TEST_CASE("register: the linearizability checker, initial nil") {
  auto w = workload("register");
  SECTION("a first read of null is fine") {
    auto results = w->check(jsonl(R"({"process":0,"type":"invoke","f":"read","key":"r","value":null}
{"process":0,"type":"ok","f":"read","key":"r","value":null}
{"process":0,"type":"invoke","f":"write","key":"r","value":1}
{"process":0,"type":"ok","f":"write","key":"r","value":1}
{"process":"nemesis","type":"info","f":"kill","value":["n1"]}
{"process":1,"type":"invoke","f":"cas","key":"r","value":[1,2]}
{"process":1,"type":"ok","f":"cas","key":"r","value":[1,2]})"));
    REQUIRE(results.size() == 1);
    CHECK(results[0].checker == "linearizability");
    CHECK(results[0].result.verdict == Verdict::valid);
  }
  SECTION("a first read of 0 is not: nothing wrote 0") {
    auto results = w->check(jsonl(R"({"process":0,"type":"invoke","f":"read","key":"r","value":null}
{"process":0,"type":"ok","f":"read","key":"r","value":0})"));
    CHECK(results[0].result.verdict == Verdict::invalid);
  }
  SECTION("a stale read on one key of several") {
    auto results = workload("kv")->check(jsonl(R"({"process":0,"type":"invoke","f":"write","key":"k0","value":1}
{"process":0,"type":"ok","f":"write","key":"k0","value":1}
{"process":0,"type":"invoke","f":"write","key":"k1","value":1}
{"process":0,"type":"ok","f":"write","key":"k1","value":1}
{"process":0,"type":"invoke","f":"write","key":"k1","value":2}
{"process":0,"type":"ok","f":"write","key":"k1","value":2}
{"process":1,"type":"invoke","f":"read","key":"k1","value":null}
{"process":1,"type":"ok","f":"read","key":"k1","value":1})"));
    REQUIRE(results[0].result.verdict == Verdict::invalid);
    CHECK(results[0].result.details["anomaly"]["key"] == "k1");
  }
  SECTION("an op the model does not know is unknown, with the reason") {
    auto results = w->check(jsonl(R"({"process":0,"type":"invoke","f":"add","key":"r","value":1}
{"process":0,"type":"ok","f":"add","key":"r","value":1})"));
    CHECK(results[0].result.verdict == Verdict::unknown);
    CHECK(results[0].result.details["reason"].get<std::string>().find("add") != std::string::npos);
  }
}

TEST_CASE("make_workload: names and bad options") {
  CHECK(workload_names() == std::vector<std::string>{"register", "kv", "set", "lock", "list-append", "rw-register"});
  WorkloadOptions options;
  for (const std::string& name : workload_names()) {
    options.name = name;
    auto made = make_workload(options);
    REQUIRE(made.has_value());
    CHECK((*made)->name() == name);
    CHECK((*made)->describe()["workload"] == name);
  }
  options.name = "queue";
  auto unknown = make_workload(options);
  REQUIRE_FALSE(unknown.has_value());
  CHECK(unknown.error() == "unknown workload 'queue'; expected one of register, kv, set, lock, list-append, rw-register");
  options.name = "kv";
  options.keys = 0;
  REQUIRE_FALSE(make_workload(options).has_value());
  CHECK(make_workload(options).error() == "--keys must be at least 1, got 0");
  options.keys = 10;
  options.values = 1;
  REQUIRE_FALSE(make_workload(options).has_value());
  CHECK(make_workload(options).error().find("--values must be at least 2") == 0);
  options.values = workload_values_max + 1;
  CHECK_FALSE(make_workload(options).has_value());
  options.values = 5;
  options.keys = workload_keys_max + 1;
  CHECK_FALSE(make_workload(options).has_value());
  options.keys = 10;
  options.check_time_limit_s = -1;
  CHECK(make_workload(options).error().find("--check-time-limit must be") == 0);
  options.check_time_limit_s = 1e300;
  CHECK_FALSE(make_workload(options).has_value());
  options.check_time_limit_s = 2.5;
  REQUIRE(make_workload(options).has_value());
  CHECK((*make_workload(options))->describe()["check_time_limit_ms"] == 2500);
}
