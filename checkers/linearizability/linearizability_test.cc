// The fast checker against literal histories whose verdicts are known by hand.
#include <atomic>
#include <sstream>

#include <catch2/catch.hpp>

#include "history/history_literal.h"
#include "linearizability/linearizability.h"

using namespace faultline;
using nlohmann::json;

namespace {

const Model& register_model = *find_model("register");
const Model& cas_register_model = *find_model("cas-register");
const Model& mutex_model = *find_model("mutex");

History jsonl(const std::string& text) { return test::history_from_jsonl(text); }

CheckResult check(const std::string& text, const Model& model = cas_register_model, json initial = nullptr) {
  LinearizabilityOptions options;
  options.model = &model;
  options.initial = std::move(initial);
  auto result = check_linearizability(jsonl(text), options);
  REQUIRE(result.has_value());
  return *result;
}

}  // namespace

TEST_CASE("an empty history is linearizable") {
  CheckResult result = check("");
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.details["keys"] == 0);
}

TEST_CASE("a read of the value just written is linearizable") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"write","value":1}
{"process":0,"type":"ok","f":"write","value":1}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":1})");
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.details["ops"] == 2);
}

TEST_CASE("a stale read is found by the overwrite check and explained") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"write","value":1}
{"process":0,"type":"ok","f":"write","value":1}
{"process":0,"type":"invoke","f":"write","value":2}
{"process":0,"type":"ok","f":"write","value":2}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":1})");
  REQUIRE(result.verdict == Verdict::invalid);
  const json& anomaly = result.details["anomaly"];
  CHECK(anomaly["op"]["process"] == 1);
  CHECK(anomaly["op"]["input"] == "read 1");
  CHECK(anomaly["op"]["invoke_index"] == 4);
  CHECK(anomaly["method"] == "overwrite");
  CHECK(anomaly["explanation"] ==
        "read 1 needs the state 1, but the last write 1 (op 0) was overwritten by write 2 (op 2), which completed "
        "before read 1 began");
  CHECK(anomaly["setter"]["invoke_index"] == 0);
  CHECK(anomaly["overwriter"]["invoke_index"] == 2);
}

TEST_CASE("an anomaly the overwrite check cannot see is found by the search and explained") {
  // Both writes run throughout; the reads see 1, then 2, then 1 again: a write takes effect once.
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"write","value":1}
{"process":1,"type":"invoke","f":"write","value":2}
{"process":2,"type":"invoke","f":"read","value":null}
{"process":2,"type":"ok","f":"read","value":1}
{"process":2,"type":"invoke","f":"read","value":null}
{"process":2,"type":"ok","f":"read","value":2}
{"process":2,"type":"invoke","f":"read","value":null}
{"process":2,"type":"ok","f":"read","value":1}
{"process":0,"type":"ok","f":"write","value":1}
{"process":1,"type":"ok","f":"write","value":2})");
  REQUIRE(result.verdict == Verdict::invalid);
  const json& anomaly = result.details["anomaly"];
  CHECK(anomaly["method"] == "search");
  CHECK(anomaly["op"]["invoke_index"] == 6);
  CHECK(anomaly["explanation"] == "read returned 1, but the register can only hold 2 here");
  REQUIRE(anomaly["linearized"].size() == 4);
  CHECK(anomaly["linearized"][3]["input"] == "read 2");
  CHECK(anomaly["linearized"][3]["state_after"] == "2");
  CHECK(anomaly["concurrent"].size() == 2);
}

TEST_CASE("a read concurrent with a write may see either value") {
  for (const char* seen : {"null", "1"}) {
    CheckResult result = check(std::string(R"({"process":0,"type":"invoke","f":"write","value":1}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":)") + seen + R"(}
{"process":0,"type":"ok","f":"write","value":1})");
    CHECK(result.verdict == Verdict::valid);
  }
}

TEST_CASE("an indeterminate write may have happened") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"write","value":1}
{"process":0,"type":"info","f":"write","value":"timed-out"}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":1}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":1})");
  CHECK(result.verdict == Verdict::valid);
}

TEST_CASE("an indeterminate write cannot happen before it is invoked") {
  CheckResult result = check(R"({"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":1}
{"process":0,"type":"invoke","f":"write","value":1}
{"process":0,"type":"info","f":"write","value":null})");
  CHECK(result.verdict == Verdict::invalid);
}

TEST_CASE("an indeterminate write takes effect at most once") {
  // Seen, overwritten, then seen again: one write of 1 cannot explain both reads.
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"write","value":1}
{"process":0,"type":"info","f":"write","value":null}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":1}
{"process":1,"type":"invoke","f":"write","value":2}
{"process":1,"type":"ok","f":"write","value":2}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":1})");
  CHECK(result.verdict == Verdict::invalid);
}

TEST_CASE("a failed write did not happen") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"write","value":1}
{"process":0,"type":"fail","f":"write","value":1}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":1})");
  CHECK(result.verdict == Verdict::invalid);
}

TEST_CASE("compare-and-set follows the register's value, from the initial value") {
  const std::string cas_then_read = R"({"process":0,"type":"invoke","f":"cas","value":[0,5]}
{"process":0,"type":"ok","f":"cas","value":[0,5]}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":5})";
  CHECK(check(cas_then_read, cas_register_model, 0).verdict == Verdict::valid);
  CHECK(check(cas_then_read, cas_register_model, 3).verdict == Verdict::invalid);
  CheckResult explained = check(cas_then_read, cas_register_model, nullptr);
  REQUIRE(explained.verdict == Verdict::invalid);
  CHECK(explained.details["anomaly"]["explanation"] ==
        "cas 0->5 needs the state 0, but no operation that could come before it sets 0");
}

TEST_CASE("keys are checked independently and the invalid one is named") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"write","key":"a","value":1}
{"process":0,"type":"ok","f":"write","key":"a","value":1}
{"process":1,"type":"invoke","f":"read","key":"b","value":null}
{"process":1,"type":"ok","f":"read","key":"b","value":1}
{"process":2,"type":"invoke","f":"read","key":"a","value":null}
{"process":2,"type":"ok","f":"read","key":"a","value":1})");
  REQUIRE(result.verdict == Verdict::invalid);
  CHECK(result.details["keys"] == 2);
  CHECK(result.details["anomaly"]["key"] == "b");
  CHECK(result.details["invalid_keys"] == json::array({"b"}));
}

TEST_CASE("nemesis ops are not checked") {
  CheckResult result = check(R"({"process":"nemesis","type":"info","f":"kill","value":["n1"]}
{"process":0,"type":"invoke","f":"write","value":1}
{"process":0,"type":"ok","f":"write","value":1})");
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.details["ops"] == 1);
}

TEST_CASE("the mutex cannot be held twice") {
  const std::string twice = R"({"process":0,"type":"invoke","f":"acquire","value":null}
{"process":0,"type":"ok","f":"acquire","value":null}
{"process":1,"type":"invoke","f":"acquire","value":null}
{"process":1,"type":"ok","f":"acquire","value":null})";
  CHECK(check(twice, mutex_model).verdict == Verdict::invalid);
  const std::string handed_over = R"({"process":0,"type":"invoke","f":"acquire","value":null}
{"process":0,"type":"ok","f":"acquire","value":null}
{"process":0,"type":"invoke","f":"release","value":null}
{"process":1,"type":"invoke","f":"acquire","value":null}
{"process":0,"type":"ok","f":"release","value":null}
{"process":1,"type":"ok","f":"acquire","value":null})";
  CHECK(check(handed_over, mutex_model).verdict == Verdict::valid);
}

TEST_CASE("an op the model does not know is an input error naming its invocation's line and its completion's") {
  LinearizabilityOptions options;
  options.model = &register_model;
  auto result = check_linearizability(jsonl(R"({"process":0,"type":"invoke","f":"write","value":1}
{"process":0,"type":"ok","f":"write","value":1}
{"process":0,"type":"invoke","f":"cas","value":[1,2]}
{"process":0,"type":"ok","f":"cas","value":[1,2]})"),
                                      options);
  REQUIRE_FALSE(result.has_value());
  CHECK(result.error().to_string() ==
        "literal:3: the register model has no function 'cas' (it knows read, write; cas needs --model "
        "cas-register) (the op invoked here completes on line 4)");
}

namespace {

// Enough sequential ops that the search checks its budget several times.
History long_history() {
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += R"({"process":0,"type":"invoke","f":"write","value":)" + std::to_string(i) + "}\n";
    text += R"({"process":0,"type":"ok","f":"write","value":)" + std::to_string(i) + "}\n";
  }
  return jsonl(text);
}

}  // namespace

TEST_CASE("out of time, the verdict is unknown, never valid") {
  LinearizabilityOptions options;
  options.time_limit = std::chrono::milliseconds(1000);
  // A clock that moves one second every time it is read.
  auto ticks = std::make_shared<std::atomic<int>>(0);
  options.clock = [ticks] { return std::chrono::steady_clock::time_point(std::chrono::seconds(++*ticks)); };
  auto result = check_linearizability(long_history(), options);
  REQUIRE(result.has_value());
  CHECK(result->verdict == Verdict::unknown);
  CHECK(result->details["reason"] == "time limit of 1000 ms reached");
}

TEST_CASE("a time limit in seconds: 0 is none, any positive one is at least a millisecond") {
  CHECK(time_limit_of_seconds(0) == std::chrono::milliseconds(0));
  CHECK(time_limit_of_seconds(0.0005) == std::chrono::milliseconds(1));  // was 0: no limit at all
  CHECK(time_limit_of_seconds(0.0000001) == std::chrono::milliseconds(1));
  CHECK(time_limit_of_seconds(1.5) == std::chrono::milliseconds(1500));
  CHECK(time_limit_of_seconds(0.0015) == std::chrono::milliseconds(2));
}

TEST_CASE("out of memory budget, the verdict is unknown") {
  LinearizabilityOptions options;
  options.memory_limit_bytes = 1024;
  auto result = check_linearizability(long_history(), options);
  REQUIRE(result.has_value());
  CHECK(result->verdict == Verdict::unknown);
  CHECK(result->details["reason"] == "memory limit of 1024 bytes reached");
}

TEST_CASE("within budget, the same history is valid") {
  LinearizabilityOptions options;
  options.time_limit = std::chrono::milliseconds(60000);
  options.memory_limit_bytes = std::size_t(1) << 30;
  auto result = check_linearizability(long_history(), options);
  REQUIRE(result.has_value());
  CHECK(result->verdict == Verdict::valid);
}
