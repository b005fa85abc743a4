// The lock holders checker against literal histories.
#include <catch2/catch.hpp>
#include <string>

#include "history/history_literal.h"
#include "stats/lock_holders.h"

using namespace faultline;

namespace {

constexpr std::int64_t ms = 1'000'000;  // ns

std::string line(int process, const std::string& type, const std::string& f, std::int64_t time_ms,
                 const std::string& value = "\"lock\"") {
  return R"({"process":)" + std::to_string(process) + R"(,"type":")" + type + R"(","f":")" + f + R"(","value":)" +
         value + R"(,"time":)" + std::to_string(time_ms * ms) + "}\n";
}

// Process p: acquire at a, hold, release at r.
std::string section(int process, std::int64_t acquired_ms, std::int64_t released_ms) {
  return line(process, "invoke", "acquire", acquired_ms - 1) + line(process, "ok", "acquire", acquired_ms, "7") +
         line(process, "invoke", "add", acquired_ms + 1, "1") + line(process, "ok", "add", acquired_ms + 2, "1") +
         line(process, "invoke", "release", released_ms) + line(process, "ok", "release", released_ms + 1);
}

}  // namespace

TEST_CASE("lock holders: one after another never overlap") {
  const CheckResult result = check_lock_holders(test::history_from_jsonl(section(0, 10, 20) + section(1, 30, 40)));
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.details["sections"] == 2);
  CHECK(result.details["overlapping_sections"] == 0);
  CHECK(result.details["holders_max"] == 1);
}

TEST_CASE("lock holders: a holder that retired holds until its last op, and overlaps the next") {
  // Process 0 acquires at 10, its add is unknown at 2010 (it retired, never released); process
  // 1 acquires at 2005, after the lease.
  const std::string history = line(0, "invoke", "acquire", 9) + line(0, "ok", "acquire", 10, "7") +
                              line(0, "invoke", "add", 11, "1") + line(1, "invoke", "acquire", 2004) +
                              line(1, "ok", "acquire", 2005, "8") + line(0, "info", "add", 2010, "1") +
                              line(1, "invoke", "release", 2020) + line(1, "ok", "release", 2021);
  const CheckResult result = check_lock_holders(test::history_from_jsonl(history));
  CHECK(result.verdict == Verdict::valid);  // reported, not a verdict
  CHECK(result.details["sections"] == 2);
  CHECK(result.details["overlapping_sections"] == 2);
  CHECK(result.details["holders_max"] == 2);
  CHECK(result.details["overlaps"][0]["processes"] == nlohmann::json({0, 1}));
  CHECK(result.details["overlaps"][0]["both_from_ns"] == 2005 * ms);
  CHECK(result.details["overlaps"][0]["both_to_ns"] == 2010 * ms);
}

TEST_CASE("lock holders: no acquire is nothing to measure") {
  CHECK(check_lock_holders(test::history_from_jsonl(line(0, "invoke", "read", 1, "null") + line(0, "ok", "read", 2, "[]")))
            .verdict == Verdict::unknown);
}
