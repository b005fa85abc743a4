// The rw-register checker on hand-written histories: per anomaly class one history that has
// it and the same history with the fault removed, which must be valid; the consistency-model
// filter; the input it refuses; its explanations.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "history/history_format.h"
#include "transactions/rw_register.h"
#include "transactions/test_histories.h"
#include "transactions/transaction_text.h"
#include "transactions/verify_cycle.h"

namespace faultline::transactions {
namespace {

using test::Events;
using Steps = std::vector<std::pair<std::int64_t, std::string>>;
using Types = std::vector<std::string>;
const TransactionCheckOptions serializable{{"serializable"}};

TransactionCheckResult check(const Events& h, const TransactionCheckOptions& options = serializable) {
  TransactionCheckResult result = check_rw_register(h.build(), options);
  INFO(result.to_json().dump());
  CHECK(result.unverified.empty());
  CHECK(!result.error);
  return result;
}

const ExplainedCycle& cycle_of(const TransactionCheckResult& result, const std::string& type) {
  auto it = std::find_if(result.cycles.begin(), result.cycles.end(), [&](const ExplainedCycle& c) { return c.cycle.type == type; });
  INFO("no " << type << " cycle in " << result.to_json().dump());
  REQUIRE(it != result.cycles.end());
  return *it;
}

// The cycle's transactions (op indexes) and relations, starting from its smallest op index.
Steps steps_of(const ExplainedCycle& explained) {
  Steps steps;
  for (std::size_t i = 0; i < explained.ops.size(); ++i)
    steps.emplace_back(explained.ops[i], std::string(to_string(explained.cycle.steps[i].relation)));
  std::rotate(steps.begin(), std::min_element(steps.begin(), steps.end()), steps.end());
  return steps;
}

bool contains_sentence(const std::vector<std::string>& sentences, const std::string& part) {
  INFO(nlohmann::json(sentences).dump());
  return std::any_of(sentences.begin(), sentences.end(), [&](const std::string& s) { return s.find(part) != std::string::npos; });
}

bool has_type(const TransactionCheckResult& result, const std::string& type) {
  return std::find(result.anomaly_types.begin(), result.anomaly_types.end(), type) != result.anomaly_types.end();
}

TEST_CASE("rw-register: a serial history of read-modify-writes is valid") {
  Events h;
  h.txn(0, R"([["r","x",null],["w","x",1],["r","x",1]])")
      .txn(1, R"([["r","x",1],["w","x",2],["w","y",1]])")
      .txn(0, R"([["r","x",2],["r","y",1]])");
  const TransactionCheckResult result = check(h, {{"strict-serializable"}});
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.anomaly_types.empty());
  CHECK(result.edges > 0);
}

TEST_CASE("rw-register G0: each transaction overwrote the other's write, on two keys") {
  // T1 read x = 2 (T2's) and overwrote it; T2 read y = 1 (T1's) and overwrote it.
  const char* t1 = R"([["r","x",2],["w","x",1],["w","y",1]])";
  const char* t2 = R"([["r","y",1],["w","y",2],["w","x",2]])";
  Events h;
  h.invoke(0, t1).invoke(1, t2).ok(0, t1).ok(1, t2);
  const TransactionCheckResult result = check(h, {{"read-uncommitted"}});
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomaly_types == Types{"G0"});
  CHECK(steps_of(cycle_of(result, "G0")) == Steps{{2, "ww"}, {3, "ww"}});
  CHECK(result.not_models == std::set<std::string>{"read-uncommitted"});

  Events fixed;  // T2 after T1, reading what T1 left
  fixed.txn(0, R"([["r","x",null],["w","x",1],["w","y",1]])").txn(1, R"([["r","y",1],["w","y",2],["w","x",2]])");
  CHECK(check(fixed, {{"read-uncommitted"}}).verdict == Verdict::valid);
}

TEST_CASE("rw-register G1c: each transaction read the other's write") {
  const char* t1 = R"([["w","x",1],["r","y",1]])";
  const char* t2 = R"([["w","y",1],["r","x",1]])";
  Events h;
  h.invoke(0, t1).invoke(1, t2).ok(0, t1).ok(1, t2);
  const TransactionCheckResult result = check(h);
  CHECK(result.anomaly_types == Types{"G1c"});
  CHECK(steps_of(cycle_of(result, "G1c")) == Steps{{2, "wr"}, {3, "wr"}});
  CHECK(cycle_of(result, "G1c").explanations[0] == "T2 read key \"x\" as 1, so it saw T1's write of 1");
  CHECK(result.not_models == std::set<std::string>{"read-committed"});

  const char* fixed2 = R"([["w","y",1],["r","x",null]])";
  Events fixed;
  fixed.invoke(0, t1).invoke(1, fixed2).ok(0, t1).ok(1, fixed2);
  CHECK(check(fixed).verdict == Verdict::valid);
}

TEST_CASE("rw-register G-single-item: read skew, one anti-dependency from a read of nil") {
  Events h;  // T2 writes x and y; T1 misses x's write but sees y's
  h.invoke(0, R"([["r","x",null],["r","y",1]])").txn(1, R"([["w","x",1],["w","y",1]])").ok(0, R"([["r","x",null],["r","y",1]])");
  const TransactionCheckResult result = check(h);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomaly_types == Types{"G-single-item"});
  CHECK(steps_of(cycle_of(result, "G-single-item")) == Steps{{2, "wr"}, {3, "rw"}});
  const auto& sentences = cycle_of(result, "G-single-item").explanations;
  CHECK(contains_sentence(sentences, "read key \"x\" as nil, so it did not see T"));
  CHECK(result.not_models == std::set<std::string>{"consistent-view", "repeatable-read"});

  Events fixed;
  fixed.invoke(0, R"([["r","x",1],["r","y",1]])").txn(1, R"([["w","x",1],["w","y",1]])").ok(0, R"([["r","x",1],["r","y",1]])");
  CHECK(check(fixed).verdict == Verdict::valid);
}

TEST_CASE("rw-register G-single-item through a read-then-write version order") {
  // T0 writes x = 1. T2 reads x = 1 and writes 2, and writes y = 1. T1 reads x = 1 (missing
  // T2's overwrite) but y = 1 (seeing T2): 1 < 2 comes from T2's own read before its write.
  Events h;
  h.txn(0, R"([["w","x",1]])")
      .invoke(1, R"([["r","x",1],["r","y",1]])")
      .txn(2, R"([["r","x",1],["w","x",2],["w","y",1]])")
      .ok(1, R"([["r","x",1],["r","y",1]])");
  const TransactionCheckResult result = check(h);
  CHECK(result.anomaly_types == Types{"G-single-item"});
  CHECK(steps_of(cycle_of(result, "G-single-item")) == Steps{{4, "wr"}, {5, "rw"}});
  const auto& sentences = cycle_of(result, "G-single-item").explanations;
  CHECK(contains_sentence(sentences, "read key \"x\" as 1, so it did not see T"));
  CHECK(contains_sentence(sentences, "'s write of 2, which T"));
  CHECK(contains_sentence(sentences, " made after reading 1"));

  Events fixed;  // T1 sees x = 2 as well
  fixed.txn(0, R"([["w","x",1]])")
      .invoke(1, R"([["r","x",2],["r","y",1]])")
      .txn(2, R"([["r","x",1],["w","x",2],["w","y",1]])")
      .ok(1, R"([["r","x",2],["r","y",1]])");
  CHECK(check(fixed).verdict == Verdict::valid);
}

TEST_CASE("rw-register G2-item: write skew, invalid under serializable, allowed under snapshot isolation") {
  const char* t1 = R"([["r","x",null],["w","y",1]])";
  const char* t2 = R"([["r","y",null],["w","x",1]])";
  Events h;
  h.invoke(0, t1).invoke(1, t2).ok(0, t1).ok(1, t2);
  const TransactionCheckResult result = check(h);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomaly_types == Types{"G2-item"});
  CHECK(steps_of(cycle_of(result, "G2-item")) == Steps{{2, "rw"}, {3, "rw"}});
  CHECK(result.not_models == std::set<std::string>{"repeatable-read"});
  CHECK(check(h, {{"snapshot-isolation"}}).verdict == Verdict::valid);
  CHECK(check(h, {{"read-committed"}}).verdict == Verdict::valid);

  Events fixed;  // T2 after T1 sees T1's write
  fixed.txn(0, t1).txn(1, R"([["r","y",1],["w","x",1]])");
  CHECK(check(fixed).verdict == Verdict::valid);
}

TEST_CASE("rw-register G-nonadjacent-item: forbidden by snapshot isolation too") {
  const char* t1 = R"([["r","a",null],["r","d",1]])";
  const char* t2 = R"([["w","a",1],["w","b",1]])";
  const char* t3 = R"([["r","b",1],["r","c",null]])";
  const char* t4 = R"([["w","c",1],["w","d",1]])";
  Events h;
  h.invoke(0, t1).invoke(1, t2).invoke(2, t3).invoke(3, t4).ok(0, t1).ok(1, t2).ok(2, t3).ok(3, t4);
  const TransactionCheckResult result = check(h);
  CHECK(result.anomaly_types == Types{"G-nonadjacent-item"});
  CHECK(steps_of(cycle_of(result, "G-nonadjacent-item")) == Steps{{4, "rw"}, {5, "wr"}, {6, "rw"}, {7, "wr"}});
  CHECK(check(h, {{"snapshot-isolation"}}).verdict == Verdict::invalid);

  const char* fixed1 = R"([["r","a",1],["r","d",1]])";
  Events fixed;
  fixed.invoke(0, fixed1).invoke(1, t2).invoke(2, t3).invoke(3, t4).ok(0, fixed1).ok(1, t2).ok(2, t3).ok(3, t4);
  CHECK(check(fixed).verdict == Verdict::valid);
}

TEST_CASE("rw-register realtime: a stale read is a G-single-item-realtime, serializable allows it") {
  Events h;
  h.txn(0, R"([["w","x",1]])").txn(1, R"([["r","x",1],["w","x",2]])").txn(2, R"([["r","x",1]])");
  const TransactionCheckResult result = check(h, {{"strict-serializable"}});
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomaly_types == Types{"G-single-item-realtime"});
  CHECK(steps_of(cycle_of(result, "G-single-item-realtime")) == Steps{{3, "realtime"}, {5, "rw"}});
  CHECK(result.not_models == std::set<std::string>{"strong-snapshot-isolation"});
  CHECK(check(h, serializable).verdict == Verdict::valid);

  Events fixed;
  fixed.txn(0, R"([["w","x",1]])").txn(1, R"([["r","x",1],["w","x",2]])").txn(2, R"([["r","x",2]])");
  CHECK(check(fixed, {{"strict-serializable"}}).verdict == Verdict::valid);

  Events session;  // the same on one process: strong-session-serializable forbids it too
  session.txn(0, R"([["w","x",1]])").txn(0, R"([["r","x",1],["w","x",2]])").txn(0, R"([["r","x",1]])");
  CHECK(check(session, {{"strong-session-serializable"}}).anomaly_types == Types{"G-single-item-process"});
}

TEST_CASE("rw-register G1a: a read of a failed transaction's write") {
  Events h;
  h.invoke(0, R"([["w","x",1]])").fail(0, R"([["w","x",1]])").txn(1, R"([["w","y",1]])").txn(1, R"([["r","x",1],["r","y",1]])");
  const TransactionCheckResult result = check(h);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomaly_types == Types{"G1a"});
  CHECK(result.anomalies.at("G1a")[0] == nlohmann::json::parse(R"({"op":5,"mop":["r","x",1],"writer":1})"));
  CHECK(result.not_models == std::set<std::string>{"read-committed"});
  // read-uncommitted allows dirty reads.
  CHECK(check(h, {{"read-uncommitted"}}).verdict == Verdict::valid);

  Events fixed;
  fixed.txn(0, R"([["w","x",1]])").txn(1, R"([["w","y",1]])").txn(1, R"([["r","x",1],["r","y",1]])");
  CHECK(check(fixed).verdict == Verdict::valid);
}

TEST_CASE("rw-register G1b: a read of a value its writer overwrote in the same transaction") {
  Events h;
  h.txn(0, R"([["w","x",1],["w","x",2],["w","y",1]])").txn(1, R"([["r","x",1],["r","y",1]])");
  const TransactionCheckResult result = check(h);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomaly_types == Types{"G1b"});
  CHECK(result.anomalies.at("G1b")[0] == nlohmann::json::parse(R"({"op":3,"mop":["r","x",1],"writer":1})"));

  Events fixed;
  fixed.txn(0, R"([["w","x",1],["w","x",2],["w","y",1]])").txn(1, R"([["r","x",2],["r","y",1]])");
  CHECK(check(fixed).verdict == Verdict::valid);
}

TEST_CASE("rw-register internal: a read that disagrees with the transaction's own write or read") {
  Events h;
  h.txn(0, R"([["w","x",1],["w","y",1]])")
      .txn(1, R"([["w","x",2],["r","x",1]])")
      .txn(2, R"([["r","y",null],["r","y",1]])");
  const TransactionCheckResult result = check(h);
  CHECK(result.verdict == Verdict::invalid);
  REQUIRE(result.anomalies.contains("internal"));
  CHECK(result.anomalies.at("internal") ==
        std::vector<nlohmann::json>{nlohmann::json::parse(R"({"op":3,"mop":["r","x",1],"expected":2})"),
                                    nlohmann::json::parse(R"({"op":5,"mop":["r","y",1],"expected":null})")});

  Events fixed;
  fixed.txn(0, R"([["w","x",1],["w","y",1]])").txn(1, R"([["w","x",2],["r","x",2]])").txn(2, R"([["r","y",1],["r","y",1]])");
  CHECK(check(fixed).verdict == Verdict::valid);
}

TEST_CASE("rw-register lost-update: forbidden by snapshot isolation, allowed by read committed") {
  Events h;  // T1 and T2 both read x = 1 and both overwrote it
  h.txn(0, R"([["w","x",1]])")
      .invoke(1, R"([["r","x",1],["w","x",2]])")
      .invoke(2, R"([["r","x",1],["w","x",3]])")
      .ok(1, R"([["r","x",1],["w","x",2]])")
      .ok(2, R"([["r","x",1],["w","x",3]])");
  const TransactionCheckResult result = check(h);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomalies.at("lost-update")[0] == nlohmann::json::parse(R"({"key":"x","value":1,"txns":[4,5]})"));
  CHECK(has_type(result, "G2-item"));
  const TransactionCheckResult snapshot = check(h, {{"snapshot-isolation"}});
  CHECK(snapshot.verdict == Verdict::invalid);
  CHECK(snapshot.anomaly_types == Types{"lost-update"});
  CHECK(check(h, {{"read-committed"}}).verdict == Verdict::valid);

  Events fixed;  // T2 read T1's write
  fixed.txn(0, R"([["w","x",1]])").txn(1, R"([["r","x",1],["w","x",2]])").txn(2, R"([["r","x",2],["w","x",3]])");
  CHECK(check(fixed, {{"strict-serializable"}}).verdict == Verdict::valid);
}

TEST_CASE("rw-register future-read and garbage-read") {
  Events h;
  h.txn(0, R"([["w","y",1]])").txn(1, R"([["r","x",5],["w","x",5],["r","y",1]])").txn(2, R"([["r","z",7],["r","y",1]])");
  const TransactionCheckResult result = check(h);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.anomalies.at("future-read")[0] == nlohmann::json::parse(R"({"op":3,"mop":["r","x",5]})"));
  CHECK(result.anomalies.at("garbage-read")[0] == nlohmann::json::parse(R"({"op":5,"mop":["r","z",7]})"));

  Events fixed;
  fixed.txn(0, R"([["w","y",1]])").txn(1, R"([["r","x",null],["w","x",5],["r","y",1]])").txn(2, R"([["r","z",null],["r","y",1]])");
  CHECK(check(fixed).verdict == Verdict::valid);
}

TEST_CASE("rw-register info transactions count when their writes are read, unread, they change nothing") {
  Events h;  // T1 crashed (info) but T2 saw its write of y: it committed, and the read skew shows
  h.invoke(0, R"([["w","x",1],["w","y",1]])").info(0, R"([["w","x",1],["w","y",1]])").txn(1, R"([["r","x",null],["r","y",1]])");
  const TransactionCheckResult result = check(h);
  CHECK(result.anomaly_types == Types{"G-single-item"});

  Events unread;
  unread.invoke(0, R"([["w","x",1]])").info(0, R"([["w","x",1]])").txn(1, R"([["r","x",null]])").txn(1, R"([["r","x",null]])");
  CHECK(check(unread, {{"strict-serializable"}}).verdict == Verdict::valid);
}

TEST_CASE("rw-register input: Knossos' read/write names, EDN, and what is refused") {
  Events knossos;
  knossos.txn(0, R"([["write","x",1]])").txn(1, R"([["read","x",null]])");
  CHECK(check(knossos, {{"strict-serializable"}}).anomaly_types == Types{"G-single-item-realtime"});

  std::istringstream edn(
      "{:type :invoke, :f :txn, :value [[:w :x 1]], :process 0, :index 0}\n"
      "{:type :ok, :f :txn, :value [[:w :x 1]], :process 0, :index 1}\n"
      "{:type :invoke, :f :txn, :value [[:r :x nil]], :process 1, :index 2}\n"
      "{:type :ok, :f :txn, :value [[:r :x nil]], :process 1, :index 3}\n");
  auto history = read_history(edn, "test.edn", HistoryFormat::edn);
  REQUIRE(history);
  const TransactionCheckResult from_edn = check_rw_register(*history);
  CHECK(from_edn.anomaly_types == Types{"G-single-item-realtime"});
  REQUIRE(from_edn.cycles.size() == 1);
  CHECK(from_edn.cycles[0].explanations[1] == "T2 read key \"x\" as nil, so it did not see T1's write of 1");

  Events twice;
  twice.txn(0, R"([["w","x",1]])").txn(1, R"([["w","x",1]])");
  const TransactionCheckResult duplicate = check_rw_register(twice.build());
  CHECK(duplicate.verdict == Verdict::unknown);
  REQUIRE(duplicate.error);
  CHECK(duplicate.error->type == "duplicate-writes");
  CHECK(duplicate.error->message.find("op 3") != std::string::npos);

  Events appends;
  appends.txn(0, R"([["append","x",1]])");
  CHECK(check_rw_register(appends.build()).error->type == "unexpected-txn-micro-op-types");
  Events list_read;
  list_read.txn(0, R"([["r","x",[1]]])");
  CHECK(check_rw_register(list_read.build()).error->type == "malformed-txn");
  Events nil_write;
  nil_write.txn(0, R"([["w","x",null]])");
  CHECK(check_rw_register(nil_write.build()).error->type == "malformed-txn");
}

TEST_CASE("rw-register: the independent verification refutes edges the history does not support") {
  Events h;  // T1 writes x 1; T2 reads x 1: only T1 -wr-> T2 holds
  h.txn(0, R"([["w","x",1]])").txn(1, R"([["r","x",1]])");
  auto parsed = read_transactions(h.build(), TransactionModel::rw_register);
  REQUIRE(parsed);
  const Edge wr{0, 1, Relation::wr, 0, initial_state, 0, 2};
  CHECK(verify_cycle(*parsed, Cycle{"G1c", {wr, Edge{1, 0, Relation::wr, 0, initial_state, 0, 0}}}) ==
        std::vector<std::string>{"step 2: wr: the reader did not read the writer's value"});
  // T1 read nothing: it cannot precede T2 by an anti-dependency; nor does nil-first order 1 < 1.
  CHECK(verify_cycle(*parsed, Cycle{"G-single-item", {wr, Edge{1, 0, Relation::rw, 0, initial_state, 0, 0}}}) ==
        std::vector<std::string>{"step 2: rw: the write does not follow the value read"});
}

TEST_CASE("rw-register: the text for people") {
  Events h;
  h.txn(0, R"([["w","x",1]])").txn(1, R"([["r","x",null]])");
  CHECK(describe_transaction_result(check_rw_register(h.build())) ==
        "  anomalies: G-single-item-realtime\n"
        "  not strong-snapshot-isolation; also not strict-serializable\n"
        "  G-single-item-realtime: T1 = op 1, T2 = op 3\n"
        "    T1 completed before T2 began (op 1 before op 2)\n"
        "    T2 read key \"x\" as nil, so it did not see T1's write of 1\n");
}

}  // namespace
}  // namespace faultline::transactions
