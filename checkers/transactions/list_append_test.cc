// The list-append checker on hand-written histories: one per anomaly class, each asserting
// the class and the cycle (its transactions and edges), plus the consistency-model tables.
#include <catch2/catch.hpp>

#include <algorithm>

#include "transactions/consistency_models.h"
#include "transactions/list_append.h"
#include "transactions/test_histories.h"
#include "transactions/verify_cycle.h"

namespace faultline::transactions {
namespace {

using test::Events;
const ListAppendOptions serializable{{"serializable"}};

const ExplainedCycle& cycle_of(const ListAppendResult& result, const std::string& type) {
  auto it = std::find_if(result.cycles.begin(), result.cycles.end(), [&](const ExplainedCycle& c) { return c.cycle.type == type; });
  INFO("no " << type << " cycle in " << result.to_json().dump());
  REQUIRE(it != result.cycles.end());
  return *it;
}

// The cycle's transactions (op indexes) and relations, starting from its smallest op index.
std::vector<std::pair<std::int64_t, std::string>> steps_of(const ExplainedCycle& explained) {
  std::vector<std::pair<std::int64_t, std::string>> steps;
  for (std::size_t i = 0; i < explained.ops.size(); ++i)
    steps.emplace_back(explained.ops[i], std::string(to_string(explained.cycle.steps[i].relation)));
  std::rotate(steps.begin(), std::min_element(steps.begin(), steps.end()), steps.end());
  return steps;
}

using Steps = std::vector<std::pair<std::int64_t, std::string>>;
using Types = std::vector<std::string>;

TEST_CASE("a serial history without anomalies is valid") {
  Events h;
  h.txn(0, R"([["append","x",1],["r","x",[1]]])").txn(1, R"([["r","x",[1]],["append","x",2]])").txn(0, R"([["r","x",[1,2]]])");
  const ListAppendResult result = check_list_append(h.build());
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.anomaly_types.empty());
  CHECK(result.not_models.empty());
  CHECK(result.unverified.empty());
}

TEST_CASE("G0: two transactions' appends interleave on two keys (write cycle)") {
  Events h;  // ops 0..3: T1 and T2 concurrent; ops 4, 5: a reader
  h.invoke(0, R"([["append","x",1],["append","y",1]])")
      .invoke(1, R"([["append","x",2],["append","y",2]])")
      .ok(0, R"([["append","x",1],["append","y",1]])")
      .ok(1, R"([["append","x",2],["append","y",2]])")
      .txn(2, R"([["r","x",[1,2]],["r","y",[2,1]]])");
  const ListAppendResult result = check_list_append(h.build(), serializable);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomaly_types == Types{"G0"});
  CHECK(steps_of(cycle_of(result, "G0")) == Steps{{2, "ww"}, {3, "ww"}});
  CHECK(cycle_of(result, "G0").explanations ==
        std::vector<std::string>{"T2 appended 2 to key \"x\" after T1 appended 1", "T1 appended 1 to key \"y\" after T2 appended 2"});
  CHECK(result.not_models == std::set<std::string>{"read-uncommitted"});
  CHECK(result.unverified.empty());
}

TEST_CASE("G1c: each transaction saw the other's append (circular information flow)") {
  Events h;
  h.invoke(0, R"([["append","x",1],["r","y",[1]]])")
      .invoke(1, R"([["append","y",1],["r","x",[1]]])")
      .ok(0, R"([["append","x",1],["r","y",[1]]])")
      .ok(1, R"([["append","y",1],["r","x",[1]]])");
  const ListAppendResult result = check_list_append(h.build(), serializable);
  CHECK(result.anomaly_types == Types{"G1c"});
  CHECK(steps_of(cycle_of(result, "G1c")) == Steps{{2, "wr"}, {3, "wr"}});
  CHECK(cycle_of(result, "G1c").explanations[0] == "T2 read key \"x\" as [1], so it saw T1's append of 1");
  CHECK(result.not_models == std::set<std::string>{"read-committed"});
}

TEST_CASE("G-single-item: a read skew, one anti-dependency") {
  Events h;  // T2 appends to x and y; T1 misses x's append but sees y's
  h.invoke(0, R"([["r","x",[]],["r","y",[1]]])")
      .txn(1, R"([["append","x",1],["append","y",1]])")
      .ok(0, R"([["r","x",[]],["r","y",[1]]])");
  const ListAppendResult result = check_list_append(h.build(), serializable);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomaly_types == Types{"G-single-item"});
  CHECK(steps_of(cycle_of(result, "G-single-item")) == Steps{{2, "wr"}, {3, "rw"}});
  const auto& sentences = cycle_of(result, "G-single-item").explanations;
  CHECK(std::count_if(sentences.begin(), sentences.end(), [](const std::string& s) { return s.find("did not see") != std::string::npos; }) == 1);
  CHECK(result.not_models == std::set<std::string>{"consistent-view", "repeatable-read"});
}

TEST_CASE("G2-item: write skew, two adjacent anti-dependencies") {
  Events h;
  h.invoke(0, R"([["r","x",[]],["append","y",1]])")
      .invoke(1, R"([["r","y",[]],["append","x",1]])")
      .ok(0, R"([["r","x",[]],["append","y",1]])")
      .ok(1, R"([["r","y",[]],["append","x",1]])");
  const ListAppendResult snapshot = check_list_append(h.build(), {{"snapshot-isolation"}});
  CHECK(snapshot.verdict == Verdict::valid);  // write skew is allowed under snapshot isolation
  const ListAppendResult result = check_list_append(h.build(), serializable);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomaly_types == Types{"G2-item"});
  CHECK(steps_of(cycle_of(result, "G2-item")) == Steps{{2, "rw"}, {3, "rw"}});
  CHECK(result.not_models == std::set<std::string>{"repeatable-read"});
}

TEST_CASE("G-nonadjacent-item: two anti-dependencies, not adjacent") {
  Events h;  // T1 -rw-> T2 -wr-> T3 -rw-> T4 -wr-> T1, all concurrent
  const char* t1 = R"([["r","a",[]],["r","d",[1]]])";
  const char* t2 = R"([["append","a",1],["append","b",1]])";
  const char* t3 = R"([["r","b",[1]],["r","c",[]]])";
  const char* t4 = R"([["append","c",1],["append","d",1]])";
  h.invoke(0, t1).invoke(1, t2).invoke(2, t3).invoke(3, t4).ok(0, t1).ok(1, t2).ok(2, t3).ok(3, t4);
  const ListAppendResult result = check_list_append(h.build(), serializable);
  CHECK(result.anomaly_types == Types{"G-nonadjacent-item"});
  CHECK(steps_of(cycle_of(result, "G-nonadjacent-item")) == Steps{{4, "rw"}, {5, "wr"}, {6, "rw"}, {7, "wr"}});
  // Snapshot isolation forbids it too (Elle: SI forbids G-nonadjacent).
  CHECK(check_list_append(h.build(), {{"snapshot-isolation"}}).verdict == Verdict::invalid);
}

TEST_CASE("realtime variants: found under strict-serializable, allowed under serializable") {
  SECTION("G-single-item-realtime: a stale read") {
    Events h;
    h.txn(0, R"([["append","x",1]])").txn(1, R"([["r","x",[]]])");
    const ListAppendResult result = check_list_append(h.build());
    CHECK(result.verdict == Verdict::invalid);
    CHECK(result.anomaly_types == Types{"G-single-item-realtime"});
    CHECK(steps_of(cycle_of(result, "G-single-item-realtime")) == Steps{{1, "realtime"}, {3, "rw"}});
    CHECK(cycle_of(result, "G-single-item-realtime").explanations ==
          std::vector<std::string>{"T1 completed before T2 began (op 1 before op 2)",
                                   "T2 did not see T1's append of 1 to key \"x\" (it read [])"});
    CHECK(result.not_models == std::set<std::string>{"strong-snapshot-isolation"});
    CHECK(check_list_append(h.build(), serializable).verdict == Verdict::valid);
    CHECK(result.unverified.empty());
  }
  SECTION("G0-realtime: a later append ordered before an earlier one") {
    Events h;
    h.txn(0, R"([["append","x",1]])").txn(1, R"([["append","x",2]])").txn(2, R"([["r","x",[2,1]]])");
    const ListAppendResult result = check_list_append(h.build());
    CHECK(result.anomaly_types == Types{"G0-realtime"});
    CHECK(steps_of(cycle_of(result, "G0-realtime")) == Steps{{1, "realtime"}, {3, "ww"}});
  }
  SECTION("G1c-realtime: a read of an append that began after the read completed") {
    Events h;
    h.txn(0, R"([["r","x",[1]]])").txn(1, R"([["append","x",1]])");
    const ListAppendResult result = check_list_append(h.build());
    CHECK(result.anomaly_types == Types{"G1c-realtime"});
    CHECK(steps_of(cycle_of(result, "G1c-realtime")) == Steps{{1, "realtime"}, {3, "wr"}});
  }
  SECTION("G2-item-realtime: two adjacent anti-dependencies closed by real time") {
    Events h;  // T3 completes, then T1 begins; T2 overlaps both
    const char* t1 = R"([["r","x",[]]])";
    const char* t2 = R"([["append","x",1],["r","y",[]]])";
    const char* t3 = R"([["append","y",1]])";
    h.invoke(1, t2).txn(2, t3).txn(0, t1).ok(1, t2);
    const ListAppendResult result = check_list_append(h.build());
    CHECK(result.anomaly_types == Types{"G2-item-realtime"});
    CHECK(steps_of(cycle_of(result, "G2-item-realtime")) == Steps{{2, "realtime"}, {4, "rw"}, {5, "rw"}});
  }
}

TEST_CASE("G1a: an ok transaction read a failed transaction's append") {
  Events h;
  h.invoke(0, R"([["append","x",1]])").fail(0, R"([["append","x",1]])").txn(1, R"([["r","x",[1]]])");
  const ListAppendResult result = check_list_append(h.build());
  CHECK(result.verdict == Verdict::invalid);
  // The failed txn is no vertex, so no edge is left: Elle reports that too.
  CHECK(result.anomaly_types == Types{"G1a", "empty-transaction-graph"});
  CHECK(result.anomalies.at("G1a")[0] == nlohmann::json::parse(R"({"op":3,"mop":["r","x",[1]],"writer":1,"element":1})"));
  CHECK(result.not_models == std::set<std::string>{"read-committed"});
}

TEST_CASE("G1b: a read of a state another transaction had not finished with") {
  Events h;
  h.invoke(0, R"([["append","x",1],["append","x",2]])")
      .txn(1, R"([["r","x",[1]]])")
      .ok(0, R"([["append","x",1],["append","x",2]])");
  const ListAppendResult result = check_list_append(h.build(), serializable);
  // The reader also missed the writer's final append: a G-single-item, as Elle finds too.
  CHECK(result.anomaly_types == Types{"G-single-item", "G1b"});
  CHECK(result.anomalies.at("G1b")[0] == nlohmann::json::parse(R"({"op":2,"mop":["r","x",[1]],"writer":3,"element":1})"));
}

TEST_CASE("internal and future-read: a transaction disagrees with itself") {
  Events h;
  h.txn(0, R"([["append","x",1],["r","x",[]]])").txn(1, R"([["r","y",[5]],["append","y",5]])");
  const ListAppendResult result = check_list_append(h.build(), serializable);
  CHECK(result.anomalies.at("internal")[0] == nlohmann::json::parse(R"({"op":1,"mop":["r","x",[]],"expected":["...",1]})"));
  CHECK(result.anomalies.at("future-read")[0] == nlohmann::json::parse(R"({"op":3,"mop":["r","y",[5]],"element":5})"));
  CHECK(std::find(result.anomaly_types.begin(), result.anomaly_types.end(), "internal") != result.anomaly_types.end());
}

TEST_CASE("duplicate-elements, incompatible-order, garbage-read") {
  Events h;
  h.txn(0, R"([["append","x",1],["append","x",2],["append","y",3]])")
      .txn(1, R"([["r","x",[1,2]],["r","y",[3,3]]])")
      .txn(2, R"([["r","x",[2,1]],["r","z",[7]]])");
  const ListAppendResult result = check_list_append(h.build(), serializable);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomalies.at("duplicate-elements")[0]["op"] == 3);
  CHECK(result.anomalies.at("incompatible-order")[0]["key"] == "x");
  CHECK(result.anomalies.at("incompatible-order")[0]["values"] == nlohmann::json::parse("[[2,1],[1,2]]"));
  CHECK(result.anomalies.at("garbage-read")[0] == nlohmann::json::parse(R"({"op":5,"mop":["r","z",[7]],"element":7})"));
}

TEST_CASE("dirty-update: a committed append on top of an aborted one") {
  Events h;
  h.invoke(0, R"([["append","x",1]])").fail(0, R"([["append","x",1]])").txn(1, R"([["append","x",2]])").txn(2, R"([["r","x",[1,2]]])");
  const ListAppendResult result = check_list_append(h.build(), serializable);
  CHECK(result.anomalies.at("dirty-update")[0] == nlohmann::json::parse(R"({"key":"x","values":[1,2],"txns":[1,"...",3]})"));
  CHECK(result.anomalies.contains("G1a"));
}

TEST_CASE("lost-update: two transactions read one state and both appended") {
  Events h;
  h.invoke(0, R"([["r","x",[]],["append","x",1]])")
      .invoke(1, R"([["r","x",[]],["append","x",2]])")
      .ok(0, R"([["r","x",[]],["append","x",1]])")
      .ok(1, R"([["r","x",[]],["append","x",2]])");
  const ListAppendResult result = check_list_append(h.build(), serializable);
  CHECK(result.anomalies.at("lost-update")[0] == nlohmann::json::parse(R"({"key":"x","value":[],"txns":[2,3]})"));
}

TEST_CASE("info transactions count when their appends are read, unread, they change nothing") {
  Events h;  // T1 crashed (info) but T2 saw its append: it committed, and the read skew shows
  h.invoke(0, R"([["append","x",1],["append","y",1]])")
      .info(0, R"([["append","x",1],["append","y",1]])")
      .txn(1, R"([["r","x",[]],["r","y",[1]]])");
  const ListAppendResult result = check_list_append(h.build(), serializable);
  CHECK(result.anomaly_types == Types{"G-single-item"});
  CHECK(steps_of(cycle_of(result, "G-single-item")) == Steps{{1, "wr"}, {3, "rw"}});

  Events unread;
  unread.invoke(0, R"([["append","x",1]])").info(0, R"([["append","x",1]])").txn(1, R"([["r","x",[]]])").txn(1, R"([["r","x",[]]])");
  CHECK(check_list_append(unread.build()).verdict == Verdict::valid);
}

TEST_CASE("nothing to check is unknown, a history that is not list-append is unknown with the reason") {
  Events h;
  h.txn(0, R"([["append","x",1]])");
  const ListAppendResult empty = check_list_append(h.build(), serializable);
  CHECK(empty.verdict == Verdict::unknown);
  CHECK(empty.anomaly_types == Types{"empty-transaction-graph"});

  Events bad;
  bad.txn(0, R"([["w","x",1]])");
  const ListAppendResult result = check_list_append(bad.build());
  CHECK(result.verdict == Verdict::unknown);
  REQUIRE(result.error);
  CHECK(result.error->type == "unexpected-txn-micro-op-types");

  const ListAppendResult typo = check_list_append(h.build(), {{"serialisable"}});
  CHECK(typo.verdict == Verdict::unknown);
  CHECK(typo.error->type == "unknown-consistency-model");

  Events twice;
  twice.txn(0, R"([["append","x",1]])").txn(1, R"([["append","x",1]])");
  CHECK(check_list_append(twice.build()).error->type == "duplicate-appends");
}

TEST_CASE("consistency models: what each claimed model forbids, what anomalies rule out") {
  const auto serializable_forbids = anomalies_prohibited_by({"serializable"});
  for (const char* type : {"G0", "G1a", "G1b", "G1c", "G-single-item", "G-nonadjacent-item", "G2-item", "internal", "lost-update"})
    CHECK(serializable_forbids.contains(type));
  CHECK_FALSE(serializable_forbids.contains("G2-item-realtime"));
  CHECK(anomalies_prohibited_by({"strict-serializable"}).contains("G-single-item-realtime"));
  const auto snapshot_forbids = anomalies_prohibited_by({"snapshot-isolation"});
  CHECK(snapshot_forbids.contains("G-single-item"));
  CHECK_FALSE(snapshot_forbids.contains("G2-item"));
  const auto read_committed_forbids = anomalies_prohibited_by({"read-committed"});
  CHECK(read_committed_forbids.contains("G1c"));
  CHECK_FALSE(read_committed_forbids.contains("G-single-item"));
  CHECK(anomalies_prohibited_by({"read-uncommitted"}).contains("G0"));
  CHECK_FALSE(anomalies_prohibited_by({"read-uncommitted"}).contains("G1a"));
  CHECK(anomalies_prohibited_by({"PL-3"}) == serializable_forbids);
  CHECK(canonical_model_name("PL-SI") == "snapshot-isolation");
  CHECK_FALSE(canonical_model_name("eventual-serializability"));

  // Elle's boundary for a G2-item (its test of si-without-g-single) and a G-single-item (elle-cli).
  CHECK(models_ruled_out({"G2-item"}).not_models == std::set<std::string>{"repeatable-read"});
  CHECK(models_ruled_out({"G-single-item"}).not_models == std::set<std::string>{"consistent-view", "repeatable-read"});
  const Boundary realtime = models_ruled_out({"G2-item-realtime"});
  CHECK(realtime.not_models == std::set<std::string>{"strict-serializable"});
  CHECK(realtime.also_not.empty());
  const Boundary stale_read = models_ruled_out({"G-single-item-realtime"});
  CHECK(stale_read.not_models == std::set<std::string>{"strong-snapshot-isolation"});
  CHECK(stale_read.also_not == std::set<std::string>{"strict-serializable"});
}

}  // namespace
}  // namespace faultline::transactions

namespace faultline::transactions {
namespace {

TEST_CASE("a cycle search that runs out of steps says unknown (cycle-search-timeout), never valid") {
  test::Events h;
  h.invoke(0, R"([["r","x",[]],["append","y",1]])")
      .invoke(1, R"([["r","y",[]],["append","x",1]])")
      .ok(0, R"([["r","x",[]],["append","y",1]])")
      .ok(1, R"([["r","y",[]],["append","x",1]])");
  ListAppendOptions options{{"serializable"}};
  options.cycle_search_steps_max = 0;
  const ListAppendResult result = check_list_append(h.build(), options);
  CHECK(result.verdict == Verdict::unknown);
  CHECK(result.anomaly_types == std::vector<std::string>{"cycle-search-timeout"});
  CHECK(result.anomalies.at("cycle-search-timeout")[0]["anomaly-spec-type"] == "G-single-item");
}

TEST_CASE("the independent verification refutes edges the history does not support") {
  test::Events h;  // T1 (op 1) appends x 1; T2 (op 3) reads x [1]: only T1 -wr-> T2 holds
  h.txn(0, R"([["append","x",1]])").txn(1, R"([["r","x",[1]]])");
  auto parsed = read_transactions(h.build());
  REQUIRE(parsed);
  const Edge wr{0, 1, Relation::wr, 0, initial_state, 0, 2};
  Cycle cycle{"G1c", {wr, Edge{1, 0, Relation::wr, 0, initial_state, 0, 0}}};
  const auto problems = verify_cycle(*parsed, cycle);
  CHECK(problems == std::vector<std::string>{"step 2: wr: the reader did not read a state ending in the writer's append"});
  Cycle realtime_backwards{"G1c-realtime", {wr, Edge{1, 0, Relation::realtime}}};
  CHECK(verify_cycle(*parsed, realtime_backwards) ==
        std::vector<std::string>{"step 2: realtime: the first did not complete before the second began"});
  Cycle mislabelled{"G0", {wr, Edge{1, 0, Relation::realtime}}};
  CHECK(verify_cycle(*parsed, mislabelled).back() == "its edges make a G1c-realtime, not a G0");
}

}  // namespace
}  // namespace faultline::transactions

#include "transactions/transaction_text.h"

namespace faultline::transactions {
namespace {

TEST_CASE("the text for people: anomaly types, models ruled out, each cycle with its sentences") {
  test::Events h;  // a stale read: T2 began after T1 completed, yet missed its append
  h.txn(0, R"([["append","x",1]])").txn(1, R"([["r","x",[]]])");
  CHECK(describe_transaction_result(check_list_append(h.build())) ==
        "  anomalies: G-single-item-realtime\n"
        "  not strong-snapshot-isolation; also not strict-serializable\n"
        "  G-single-item-realtime: T1 = op 1, T2 = op 3\n"
        "    T1 completed before T2 began (op 1 before op 2)\n"
        "    T2 did not see T1's append of 1 to key \"x\" (it read [])\n");
  CHECK(describe_transaction_result(check_list_append(h.build(), {{"serializable"}})).empty());
  test::Events aborted;
  aborted.invoke(0, R"([["append","x",1]])").fail(0, R"([["append","x",1]])").txn(1, R"([["r","x",[1]]])").txn(1, R"([["r","x",[1]]])");
  CHECK(describe_transaction_result(check_list_append(aborted.build())) ==
        "  anomalies: G1a\n"
        "  not read-committed; also not causal-cerone, consistent-view, cursor-stability, forward-consistent-view, "
        "monotonic-atomic-view, monotonic-snapshot-read, monotonic-view, parallel-snapshot-isolation, prefix, read-atomic, "
        "repeatable-read, serializable, snapshot-isolation, strict-serializable, strong-read-committed, "
        "strong-session-read-committed, strong-session-serializable, strong-session-snapshot-isolation, "
        "strong-snapshot-isolation, update-atomic, update-serializable\n"
        "  G1a: 2 cases, e.g. {\"element\":1,\"mop\":[\"r\",\"x\",[1]],\"op\":3,\"writer\":1}; "
        "{\"element\":1,\"mop\":[\"r\",\"x\",[1]],\"op\":5,\"writer\":1}\n");
}

}  // namespace
}  // namespace faultline::transactions

namespace faultline::transactions {
namespace {

TEST_CASE("process variants: strong-session models order each process's transactions") {
  test::Events same_process;
  same_process.txn(0, R"([["append","x",1]])").txn(0, R"([["r","x",[]]])");
  const ListAppendResult result = check_list_append(same_process.build(), {{"strong-session-serializable"}});
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomaly_types == std::vector<std::string>{"G-single-item-process"});
  REQUIRE(result.cycles.size() == 1);
  CHECK(result.cycles[0].explanations ==
        std::vector<std::string>{"T1 completed before T2 began, on the same process (0)",
                                 "T2 did not see T1's append of 1 to key \"x\" (it read [])"});
  CHECK(result.unverified.empty());
  CHECK(result.not_models == std::set<std::string>{"strong-session-snapshot-isolation"});

  test::Events other_process;  // the same reads from two processes: no session broken
  other_process.txn(0, R"([["append","x",1]])").txn(1, R"([["r","x",[]]])");
  CHECK(check_list_append(other_process.build(), {{"strong-session-serializable"}}).verdict == Verdict::valid);
}

}  // namespace
}  // namespace faultline::transactions
