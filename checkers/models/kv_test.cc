// The kv model (Porcupine's kvModel) through the checker: literal histories whose verdicts
// are known by hand, and the op a counterexample must name.
#include <catch2/catch.hpp>

#include "history/history_format.h"
#include "models/model_check_support.h"

using namespace faultline;
using faultline::test::check_model;
using faultline::test::model_input_error;
using nlohmann::json;

namespace {

// One JSON Lines op of process p on key k.
std::string op(int p, const std::string& type, const std::string& f, const std::string& k, const json& value) {
  return json{{"process", p}, {"type", type}, {"f", f}, {"key", k}, {"value", value}}.dump() + "\n";
}

}  // namespace

TEST_CASE("kv: a get returns the whole string appended so far, a get out of order is invalid, and named") {
  const std::string appends = op(0, "invoke", "append", "k", "x 0 0 y") + op(0, "ok", "append", "k", "x 0 0 y") +
                              op(1, "invoke", "append", "k", "x 1 0 y") + op(1, "ok", "append", "k", "x 1 0 y");
  CHECK(check_model("kv", appends + op(2, "invoke", "get", "k", nullptr) + op(2, "ok", "get", "k", "x 0 0 yx 1 0 y"))
            .verdict == Verdict::valid);
  const CheckResult reordered =
      check_model("kv", appends + op(2, "invoke", "get", "k", nullptr) + op(2, "ok", "get", "k", "x 1 0 yx 0 0 y"));
  REQUIRE(reordered.verdict == Verdict::invalid);
  const json& anomaly = reordered.details["anomaly"];
  CHECK(anomaly["op"]["process"] == 2);
  CHECK(anomaly["op"]["invoke_index"] == 4);
  CHECK(anomaly["op"]["input"] == "get \"x 1 0 yx 0 0 y\"");
  CHECK(anomaly["method"] == "search");  // kv has no overwrite pass
  CHECK(anomaly["explanation"] == "get returned \"x 1 0 yx 0 0 y\", but the key can only hold \"x 0 0 yx 1 0 y\" here");
}

TEST_CASE("kv: concurrent appends may land in either order, a put replaces the string") {
  const std::string concurrent = op(0, "invoke", "append", "k", "a") + op(1, "invoke", "append", "k", "b") +
                                 op(0, "ok", "append", "k", "a") + op(1, "ok", "append", "k", "b");
  for (const char* seen : {"ab", "ba"})
    CHECK(check_model("kv", concurrent + op(2, "invoke", "get", "k", nullptr) + op(2, "ok", "get", "k", seen)).verdict ==
          Verdict::valid);
  CHECK(check_model("kv", concurrent + op(2, "invoke", "get", "k", nullptr) + op(2, "ok", "get", "k", "a")).verdict ==
        Verdict::invalid);
  const std::string put = op(3, "invoke", "put", "k", "z") + op(3, "ok", "put", "k", "z");
  CHECK(check_model("kv", concurrent + put + op(2, "invoke", "get", "k", nullptr) + op(2, "ok", "get", "k", "z")).verdict ==
        Verdict::valid);
  CHECK(check_model("kv", concurrent + put + op(2, "invoke", "get", "k", nullptr) + op(2, "ok", "get", "k", "ab")).verdict ==
        Verdict::invalid);
}

TEST_CASE("kv: keys are independent, a key never written reads empty, and read/write are get/put") {
  const std::string history = op(0, "invoke", "write", "a", "1") + op(0, "ok", "write", "a", "1") +
                              op(1, "invoke", "append", "b", "2") + op(1, "ok", "append", "b", "2") +
                              op(2, "invoke", "read", "a", nullptr) + op(2, "ok", "read", "a", "1") +
                              op(2, "invoke", "get", "c", nullptr) + op(2, "ok", "get", "c", "");
  const CheckResult result = check_model("kv", history);
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.details["keys"] == 3);
  // The same reads, but key a's read sees key b's append.
  const std::string crossed = op(0, "invoke", "write", "a", "1") + op(0, "ok", "write", "a", "1") +
                              op(1, "invoke", "append", "b", "2") + op(1, "ok", "append", "b", "2") +
                              op(2, "invoke", "read", "a", nullptr) + op(2, "ok", "read", "a", "12");
  const CheckResult wrong = check_model("kv", crossed);
  REQUIRE(wrong.verdict == Verdict::invalid);
  CHECK(wrong.details["anomaly"]["key"] == "a");
}

TEST_CASE("kv: an append of unknown outcome may have happened, or not") {
  const std::string maybe = op(0, "invoke", "append", "k", "a") + op(0, "info", "append", "k", "a");
  for (const char* seen : {"", "a"})
    CHECK(check_model("kv", maybe + op(1, "invoke", "get", "k", nullptr) + op(1, "ok", "get", "k", seen)).verdict ==
          Verdict::valid);
  CHECK(check_model("kv", maybe + op(1, "invoke", "get", "k", nullptr) + op(1, "ok", "get", "k", "aa")).verdict ==
        Verdict::invalid);
}

TEST_CASE("kv: --initial is every key's first string, values that are not strings are input errors naming the line") {
  const std::string get_start = op(0, "invoke", "get", "k", nullptr) + op(0, "ok", "get", "k", "start");
  CHECK(check_model("kv", get_start, "start").verdict == Verdict::valid);
  CHECK(check_model("kv", get_start).verdict == Verdict::invalid);
  CHECK(model_input_error("kv", get_start, 3).find("starts every key from a string") != std::string::npos);
  const std::string number = op(0, "invoke", "get", "k", nullptr) + op(0, "ok", "get", "k", "") +
                             op(0, "invoke", "put", "k", 3) + op(0, "ok", "put", "k", 3);
  CHECK(model_input_error("kv", number) == "literal:3: a kv put takes a string, got 3 (the op invoked here completes on line 4)");
  CHECK(model_input_error("kv", op(0, "invoke", "cas", "k", "a")).find("has no function 'cas'") != std::string::npos);
}

TEST_CASE("kv: Porcupine's log format (EDN, one map per line, :key) reads as it is written") {
  const std::string edn =
      "{:process 0, :type :invoke, :f :append, :key \"0\", :value \"x 0 0 y\"}\n"
      "{:process 1, :type :invoke, :f :get, :key \"0\", :value nil}\n"
      "{:process 0, :type :ok, :f :append, :key \"0\", :value \"x 0 0 y\"}\n"
      "{:process 1, :type :ok, :f :get, :key \"0\", :value \"x 0 0 y\"}\n"
      "{:process 2, :type :invoke, :f :put, :key \"1\", :value \"x 2 0 y\"}\n"
      "{:process 2, :type :ok, :f :put, :key \"1\", :value \"x 2 0 y\"}\n"
      "{:process 1, :type :invoke, :f :get, :key \"1\", :value nil}\n"
      "{:process 1, :type :ok, :f :get, :key \"1\", :value \"\"}\n";
  const CheckResult result = check_model("kv", edn, nullptr, HistoryFormat::edn);
  REQUIRE(result.verdict == Verdict::invalid);  // key 1's get began after the put completed
  CHECK(result.details["keys"] == 2);
  CHECK(result.details["anomaly"]["key"] == "1");
  CHECK(result.details["anomaly"]["op"]["input"] == "get \"\"");
}

TEST_CASE("kv: Porcupine-format sample files (testdata): the valid one is valid, the bad one names its stale get") {
  const std::string dir = FAULTLINE_TESTDATA;
  LinearizabilityOptions options;
  options.model = find_model("kv");
  options.conventions.nil_read_matches_any = true;  // EDN, as `faultline check` reads it
  auto ok = read_history_file(dir + "/porcupine-kv-ok.edn", HistoryFormat::auto_detect);
  REQUIRE(ok.has_value());
  auto ok_result = check_linearizability(*ok, options);
  REQUIRE(ok_result.has_value());
  CHECK(ok_result->verdict == Verdict::valid);
  CHECK(ok_result->details["keys"] == 2);
  CHECK(ok_result->details["ops"] == 30);

  // Line 51: a get on key "1" that lost "x 2 1 y", appended (lines 2..14) before the get began (line 42).
  auto bad = read_history_file(dir + "/porcupine-kv-bad.edn", HistoryFormat::auto_detect);
  REQUIRE(bad.has_value());
  auto bad_result = check_linearizability(*bad, options);
  REQUIRE(bad_result.has_value());
  REQUIRE(bad_result->verdict == Verdict::invalid);
  const json& anomaly = bad_result->details["anomaly"];
  CHECK(anomaly["key"] == "1");
  CHECK(anomaly["op"]["process"] == 1);
  CHECK(anomaly["op"]["invoke_index"] == 41);
  CHECK(anomaly["op"]["complete_index"] == 50);
}
