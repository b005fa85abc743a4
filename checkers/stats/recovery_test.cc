// The recovery checker against literal histories.
#include <catch2/catch.hpp>
#include <string>

#include "history/history_literal.h"
#include "stats/recovery.h"

using namespace faultline;

namespace {

constexpr std::int64_t ms = 1'000'000;  // ns

std::string line(const std::string& process, const std::string& type, const std::string& f, std::int64_t time_ms,
                 const std::string& value = "null") {
  return R"({"process":)" + process + R"(,"type":")" + type + R"(","f":")" + f + R"(","value":)" + value +
         R"(,"time":)" + std::to_string(time_ms * ms) + "}\n";
}

const std::string faults = line("\"nemesis\"", "invoke", "kill", 10, "[\"n1\"]") +
                           line("\"nemesis\"", "info", "kill", 11, "[\"n1\"]") +
                           line("\"nemesis\"", "invoke", "restart", 50, "[\"n1\"]") +
                           line("\"nemesis\"", "info", "restart", 60, "[\"n1\"]");

}  // namespace

TEST_CASE("recovery: an op after the last repair succeeded") {
  const History history = test::history_from_jsonl(
      line("0", "invoke", "read", 0) + line("0", "ok", "read", 1, "3") + faults + line("1", "invoke", "read", 70) +
      line("1", "fail", "read", 72) + line("2", "invoke", "write", 75, "1") + line("2", "ok", "write", 100, "1"));
  const CheckResult result = check_recovery(history);
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.details["heal_time_ns"] == 60 * ms);
  CHECK(result.details["first_ok_after_heal_ms"] == 40.0);
  CHECK(result.details["after_heal"]["count"] == 2);
  CHECK(result.details["after_heal"]["ok_count"] == 1);
}

TEST_CASE("recovery: ops after the last repair and none ok is a system that did not come back") {
  // The ok read was invoked before the heal: it does not count.
  const History history = test::history_from_jsonl(
      line("\"nemesis\"", "invoke", "kill", 10, "[\"n1\"]") + line("\"nemesis\"", "info", "kill", 11, "[\"n1\"]") +
      line("\"nemesis\"", "invoke", "restart", 50, "[\"n1\"]") + line("0", "invoke", "read", 55) +
      line("\"nemesis\"", "info", "restart", 60, "[\"n1\"]") + line("0", "ok", "read", 65, "3") + line("1", "invoke", "read", 70) +
      line("1", "info", "read", 2070) + line("2", "invoke", "write", 75, "1") + line("2", "fail", "write", 76, "1"));
  const CheckResult result = check_recovery(history);
  CHECK(result.verdict == Verdict::invalid);
  CHECK(result.details["after_heal"]["count"] == 2);
  CHECK_THAT(result.details["reason"].get<std::string>(), Catch::Contains("did not recover"));
}

TEST_CASE("recovery: nothing after the heal is unknown, no faults is valid") {
  CHECK(check_recovery(test::history_from_jsonl(line("0", "invoke", "read", 0) + line("0", "ok", "read", 1, "3") + faults))
            .verdict == Verdict::unknown);
  CHECK(check_recovery(test::history_from_jsonl(line("0", "invoke", "read", 0) + line("0", "ok", "read", 1, "3"))).verdict ==
        Verdict::valid);
}

TEST_CASE("recovery: a fault still in place at the end is unknown, never invalid") {
  // An interrupted run: n1 killed and never restarted, nothing ok after.
  const History history = test::history_from_jsonl(
      line("0", "invoke", "read", 0) + line("0", "ok", "read", 1, "3") + line("\"nemesis\"", "invoke", "kill", 10, "[\"n1\"]") +
      line("\"nemesis\"", "info", "kill", 11, "[\"n1\"]") + line("1", "invoke", "read", 20) + line("1", "fail", "read", 21));
  const CheckResult result = check_recovery(history);
  CHECK(result.verdict == Verdict::unknown);
  CHECK_THAT(result.details["reason"].get<std::string>(), Catch::Contains("still in place"));
}
