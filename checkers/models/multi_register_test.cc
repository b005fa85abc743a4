// The multi-register model (Knossos') through the checker: transactions over several
// registers, each one linearizable step.
#include <catch2/catch.hpp>

#include "models/model_check_support.h"

using namespace faultline;
using faultline::test::check_model;
using faultline::test::model_input_error;
using nlohmann::json;

namespace {

std::string txn(int p, const std::string& type, const json& micro_ops) {
  return json{{"process", p}, {"type", type}, {"f", "txn"}, {"value", micro_ops}}.dump() + "\n";
}
std::string done(int p, const json& invoked, const json& completed) { return txn(p, "invoke", invoked) + txn(p, "ok", completed); }

const json write_both = json::parse(R"([["w","x",1],["w","y",1]])");

}  // namespace

TEST_CASE("multi-register: a transaction is atomic, seeing half of one is invalid, and named") {
  const std::string wrote = done(0, write_both, write_both);
  CHECK(check_model("multi-register", wrote + done(1, json::parse(R"([["r","x",null],["r","y",null]])"),
                                                   json::parse(R"([["r","x",1],["r","y",1]])")))
            .verdict == Verdict::valid);
  const CheckResult torn = check_model("multi-register", wrote + done(1, json::parse(R"([["r","x",null],["r","y",null]])"),
                                                                       json::parse(R"([["r","x",1],["r","y",null]])")));
  REQUIRE(torn.verdict == Verdict::invalid);
  const json& anomaly = torn.details["anomaly"];
  CHECK(anomaly["op"]["process"] == 1);
  CHECK(anomaly["op"]["input"] == "txn [[r \"x\" 1] [r \"y\" nil]]");
  CHECK(anomaly["explanation"] ==
        "txn [[r \"x\" 1] [r \"y\" nil]] read values the registers did not hold: what it reads can only be {\"x\" 1, \"y\" 1} here");
}

TEST_CASE("multi-register: a read sees its own transaction's earlier writes, Knossos' read and write are r and w") {
  const json own = json::parse(R"([["write","x",2],["read","x",2]])");
  CHECK(check_model("multi-register", done(0, own, own)).verdict == Verdict::valid);
  const json stale = json::parse(R"([["w","x",2],["r","x",null]])");
  CHECK(check_model("multi-register", done(0, stale, stale)).verdict == Verdict::invalid);
}

TEST_CASE("multi-register: a transaction of unknown outcome may have written, or not, its reads say nothing") {
  const std::string maybe = txn(0, "invoke", json::parse(R"([["r","x",null],["w","x",5]])")) +
                            txn(0, "info", json::parse(R"([["r","x",null],["w","x",5]])"));
  const json read_x = json::parse(R"([["r","x",null]])");
  for (int seen : {0, 5})
    CHECK(check_model("multi-register", maybe + done(1, read_x, json::array({json::array({"r", "x", seen})})), 0).verdict ==
          Verdict::valid);
  CHECK(check_model("multi-register", maybe + done(1, read_x, json::parse(R"([["r","x",6]])")), 0).verdict == Verdict::invalid);
}

TEST_CASE("multi-register: Knossos' EDN transactions, where a nil read matches anything") {
  const std::string edn =
      "{:process 0, :type :invoke, :f :txn, :value [[:write :x 1] [:write :y 2]]}\n"
      "{:process 0, :type :ok, :f :txn, :value [[:write :x 1] [:write :y 2]]}\n"
      "{:process 1, :type :invoke, :f :txn, :value [[:read :x nil] [:read :y nil]]}\n"
      "{:process 1, :type :ok, :f :txn, :value [[:read :x nil] [:read :y 2]]}\n";
  CHECK(check_model("multi-register", edn, nullptr, HistoryFormat::edn).verdict == Verdict::valid);
  const std::string stale = edn + "{:process 1, :type :invoke, :f :txn, :value [[:read :x nil]]}\n"
                                  "{:process 1, :type :ok, :f :txn, :value [[:read :x 0]]}\n";
  CHECK(check_model("multi-register", stale, nullptr, HistoryFormat::edn).verdict == Verdict::invalid);
}

TEST_CASE("multi-register: what is not a transaction of reads and writes is an input error") {
  CHECK(model_input_error("multi-register", txn(0, "invoke", json::parse(R"([["append","x",1]])")))
            .find("takes reads and writes, not") != std::string::npos);
  CHECK(model_input_error("multi-register", txn(0, "invoke", json::parse(R"([["w","x"]])")))
            .find("a micro-op must be [f key value]") != std::string::npos);
  CHECK(model_input_error("multi-register", R"({"process":0,"type":"invoke","f":"read","value":null})" "\n")
            .find("has no function 'read' (it knows txn)") != std::string::npos);
}
