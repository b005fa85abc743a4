// The set checker against literal histories whose outcome is known by hand.
#include "set/set_checker.h"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "history/history_literal.h"
#include "results/set_result.h"

using namespace faultline;
using nlohmann::json;

namespace {

History jsonl(const std::string& text) { return test::history_from_jsonl(text); }

CheckResult check(const std::string& text) { return check_set(jsonl(text)); }

}  // namespace

TEST_CASE("set checker: every acknowledged add in the final read is valid") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0,"time":100}
{"process":0,"type":"ok","f":"add","value":0,"time":200}
{"process":1,"type":"invoke","f":"add","value":1,"time":150}
{"process":1,"type":"ok","f":"add","value":1,"time":250}
{"process":0,"type":"invoke","f":"read","value":null,"time":300}
{"process":0,"type":"ok","f":"read","value":[0,1],"time":400})");
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.details["adds"] == json{{"attempted", 2}, {"ok", 2}, {"fail", 0}, {"info", 0}});
  CHECK(result.details["final_reads"] == 1);
  CHECK(result.details["lost_count"] == 0);
  CHECK(result.details["late_count"] == 0);
}

TEST_CASE("set checker: an acknowledged add missing from the final read is lost") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0,"time":100}
{"process":0,"type":"ok","f":"add","value":0,"time":200}
{"process":1,"type":"invoke","f":"add","value":1,"time":150}
{"process":1,"type":"ok","f":"add","value":1,"time":250}
{"process":0,"type":"invoke","f":"read","value":null,"time":300}
{"process":0,"type":"ok","f":"read","value":[0],"time":400})");
  REQUIRE(result.verdict == Verdict::invalid);
  REQUIRE(result.details["lost_count"] == 1);
  const json& lost = result.details["lost"][0];
  CHECK(lost["element"] == 1);
  CHECK(lost["add"]["type"] == "ok");
  CHECK(lost["add"]["invoke_index"] == 2);
  CHECK(lost["add"]["complete_index"] == 3);
  CHECK(lost["add"]["complete_time_ns"] == 250);
  CHECK(lost["known_index"] == 3);
  CHECK(lost["absent_in"] == json{{"read_index", 5}, {"time_ns", 400}});
  CHECK(lost["last_seen"].is_null());
}

TEST_CASE("set checker: one final read missing an element is enough to call it lost") {
  // Two final reads, as the harness runs one per node: the second node does not have 0.
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0}
{"process":0,"type":"ok","f":"add","value":0}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":[0]}
{"process":2,"type":"invoke","f":"read","value":null}
{"process":2,"type":"ok","f":"read","value":[]})");
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.details["final_reads"] == 2);
  CHECK(result.details["lost"][0]["last_seen"]["read_index"] == 3);
  CHECK(result.details["lost"][0]["absent_in"]["read_index"] == 5);
}

TEST_CASE("set checker: an element read but never added is unexpected") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0}
{"process":0,"type":"ok","f":"add","value":0}
{"process":0,"type":"invoke","f":"read","value":null,"time":10}
{"process":0,"type":"ok","f":"read","value":[0,7],"time":20})");
  REQUIRE(result.verdict == Verdict::invalid);
  CHECK(result.details["unexpected_count"] == 1);
  CHECK(result.details["unexpected"][0] == json{{"element", 7}, {"first_seen", {{"read_index", 3}, {"time_ns", 20}}}});
  CHECK(result.details["lost_count"] == 0);
}

TEST_CASE("set checker: an element twice in one read is duplicated") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0}
{"process":0,"type":"ok","f":"add","value":0}
{"process":0,"type":"invoke","f":"add","value":1}
{"process":0,"type":"ok","f":"add","value":1}
{"process":0,"type":"invoke","f":"read","value":null}
{"process":0,"type":"ok","f":"read","value":[1,0,0]})");
  REQUIRE(result.verdict == Verdict::invalid);
  CHECK(result.details["duplicated"] == json::array({{{"element", 0}, {"count", 2}, {"read_index", 5}}}));
}

TEST_CASE("set checker: an element missing from a read during the run, then back, is late but valid") {
  // The first read is not final: add 1 is still going on.
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0,"time":1}
{"process":0,"type":"ok","f":"add","value":0,"time":2}
{"process":1,"type":"invoke","f":"read","value":null,"time":3}
{"process":0,"type":"invoke","f":"add","value":1,"time":3}
{"process":1,"type":"ok","f":"read","value":[],"time":4}
{"process":0,"type":"ok","f":"add","value":1,"time":5}
{"process":1,"type":"invoke","f":"read","value":null,"time":6}
{"process":1,"type":"ok","f":"read","value":[0,1],"time":7})");
  CHECK(result.verdict == Verdict::valid);
  REQUIRE(result.details["late_count"] == 1);
  CHECK(result.details["late"][0]["element"] == 0);
  CHECK(result.details["late"][0]["absent_in"] == json{{"read_index", 4}, {"time_ns", 4}});
  CHECK(result.details["late"][0]["last_seen"] == json{{"read_index", 7}, {"time_ns", 7}});
  CHECK(result.details["lost_count"] == 0);
  CHECK(result.details["final_reads"] == 1);
}

TEST_CASE("set checker: a read concurrent with the add may miss it without being late") {
  CheckResult result = check(R"({"process":1,"type":"invoke","f":"read","value":null}
{"process":0,"type":"invoke","f":"add","value":0}
{"process":0,"type":"ok","f":"add","value":0}
{"process":1,"type":"ok","f":"read","value":[]}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":[0]})");
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.details["late_count"] == 0);
  CHECK(result.details["reads"] == 2);
  CHECK(result.details["final_reads"] == 1);
}

TEST_CASE("set checker: an add of unknown outcome seen by a final read is recovered, unseen it is not lost") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0}
{"process":0,"type":"info","f":"add","value":0}
{"process":1,"type":"invoke","f":"add","value":1}
{"process":1,"type":"info","f":"add","value":1}
{"process":2,"type":"invoke","f":"read","value":null}
{"process":2,"type":"ok","f":"read","value":[0]})");
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.details["adds"]["info"] == 2);
  REQUIRE(result.details["recovered_count"] == 1);
  CHECK(result.details["recovered"][0]["element"] == 0);
  CHECK(result.details["recovered"][0]["known_index"] == 5);
  CHECK(result.details["lost_count"] == 0);
}

TEST_CASE("set checker: an add of unknown outcome, once seen, must stay") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0}
{"process":0,"type":"info","f":"add","value":0}
{"process":2,"type":"invoke","f":"read","value":null}
{"process":2,"type":"ok","f":"read","value":[0]}
{"process":2,"type":"invoke","f":"read","value":null}
{"process":2,"type":"ok","f":"read","value":[]})");
  REQUIRE(result.verdict == Verdict::invalid);
  CHECK(result.details["lost"][0]["element"] == 0);
  CHECK(result.details["lost"][0]["known_index"] == 3);
}

TEST_CASE("set checker: a failed add that is read anyway is an anomaly") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0}
{"process":0,"type":"fail","f":"add","value":0}
{"process":0,"type":"invoke","f":"read","value":null}
{"process":0,"type":"ok","f":"read","value":[0]})");
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.details["failed_but_present_count"] == 1);
  CHECK(result.details["unexpected_count"] == 0);
}

TEST_CASE("set checker: without a read after the last add the verdict is unknown") {
  SECTION("no read at all") {
    CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0}
{"process":0,"type":"ok","f":"add","value":0})");
    CHECK(result.verdict == Verdict::unknown);
    CHECK(result.details["reason"].get<std::string>().find("no read") != std::string::npos);
  }
  SECTION("the only read overlaps an add, and the final read failed") {
    CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":[]}
{"process":0,"type":"ok","f":"add","value":0}
{"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"fail","f":"read","value":null})");
    CHECK(result.verdict == Verdict::unknown);
    CHECK(result.details["reads"] == 1);
    CHECK(result.details["final_reads"] == 0);
  }
  SECTION("an anomaly is invalid even so") {
    CheckResult result = check(R"({"process":1,"type":"invoke","f":"read","value":null}
{"process":1,"type":"ok","f":"read","value":[5]}
{"process":0,"type":"invoke","f":"add","value":0})");
    CHECK(result.verdict == Verdict::invalid);
    CHECK(result.details["unexpected_count"] == 1);
  }
}

TEST_CASE("set checker: a value that does not fit is unknown, naming the op") {
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"read","value":null}
{"process":0,"type":"ok","f":"read","value":[0,"x"]})");
  CHECK(result.verdict == Verdict::unknown);
  CHECK(result.details["reason"].get<std::string>().find("op 1:") != std::string::npos);
}

TEST_CASE("set checker: the lists are capped, the counts are not") {
  std::string text;
  for (int element = 0; element < 150; ++element) {
    text += R"({"process":0,"type":"invoke","f":"add","value":)" + std::to_string(element) + "}\n";
    text += R"({"process":0,"type":"ok","f":"add","value":)" + std::to_string(element) + "}\n";
  }
  text += R"({"process":0,"type":"invoke","f":"read","value":null})"
          "\n";
  text += R"({"process":0,"type":"ok","f":"read","value":[]})"
          "\n";
  CheckResult result = check(text);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.details["lost_count"] == 150);
  CHECK(result.details["lost"].size() == set_elements_listed_max);
}

TEST_CASE("set checker: its details are a SetResult, which reads back to the same JSON", "[results]") {
  // Lost 0, failed but present 1, unexpected 7, 2 twice in one read.
  CheckResult result = check(R"({"process":0,"type":"invoke","f":"add","value":0,"time":100}
{"process":0,"type":"ok","f":"add","value":0,"time":200}
{"process":1,"type":"invoke","f":"add","value":1,"time":110}
{"process":1,"type":"fail","f":"add","value":1,"time":210}
{"process":2,"type":"invoke","f":"add","value":2,"time":120}
{"process":2,"type":"ok","f":"add","value":2,"time":220}
{"process":0,"type":"invoke","f":"read","value":null,"time":300}
{"process":0,"type":"ok","f":"read","value":[1,2,2,7],"time":400})");
  REQUIRE(result.verdict == Verdict::invalid);
  const auto set = result.details.get<SetResult>();
  CHECK(json(set) == result.details);
  CHECK(set.anomalies() == 4);
  REQUIRE(set.lost.listed.size() == 1);
  CHECK(set.lost.listed[0].element == 0);
  CHECK(set.lost.listed[0].add.complete_time_ns == 200);
  REQUIRE(set.lost.listed[0].absent_in.has_value());
  CHECK(set.lost.listed[0].absent_in->time_ns == 400);
  CHECK(set.failed_but_present.listed.at(0).add.type == "fail");
  CHECK(set.unexpected.listed.at(0).element == 7);
  CHECK(set.duplicated.listed.at(0).count == 2);
  CHECK_FALSE(set.reason.has_value());
}

TEST_CASE("set result: fields missing from older results take their defaults", "[results]") {
  const auto set = json::parse(R"({"adds":{"ok":3},"lost":[{"element":5,"add":{"invoke_index":2}}]})").get<SetResult>();
  CHECK(set.adds.ok == 3);
  CHECK(set.adds.info == 0);
  REQUIRE(set.lost.listed.size() == 1);
  CHECK(set.lost.count == 1);  // the listed ones, when the count is missing
  CHECK(set.lost.listed[0].add.invoke_index == 2);
  CHECK_FALSE(set.lost.listed[0].add.complete_index.has_value());
  CHECK_FALSE(set.lost.listed[0].absent_in.has_value());
}
