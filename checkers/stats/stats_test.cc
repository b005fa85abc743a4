// The measuring checkers (stats, availability, latency) against literal histories.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "history/history_literal.h"
#include "results/measurement_results.h"
#include "stats/availability.h"
#include "stats/latency.h"
#include "stats/stats_checker.h"

using namespace faultline;
using nlohmann::json;

namespace {

History jsonl(const std::string& text) { return test::history_from_jsonl(text); }

constexpr std::int64_t ms = 1'000'000;  // ns

// Times in ms, for readable literals.
std::string line(const std::string& process, const std::string& type, const std::string& f, std::int64_t time_ms,
                 const std::string& value = "null") {
  return R"({"process":)" + process + R"(,"type":")" + type + R"(","f":")" + f + R"(","value":)" + value +
         R"(,"time":)" + std::to_string(time_ms * ms) + "}\n";
}

}  // namespace

TEST_CASE("stats: counts per function and outcome") {
  const History history = jsonl(
      line("0", "invoke", "read", 0) + line("0", "ok", "read", 1, "3") + line("1", "invoke", "write", 0, "1") +
      line("1", "fail", "write", 2, "1") + line("2", "invoke", "write", 0, "2") + line("2", "ok", "write", 3, "2") +
      line("\"nemesis\"", "info", "kill", 4, "[\"n1\"]") + line("3", "invoke", "cas", 5, "[1,2]") +
      line("3", "info", "cas", 9, "[1,2]") + line("4", "invoke", "read", 9));
  SECTION("by function, an op never completed counting as info") {
    CheckResult result = check_stats(history);
    CHECK(result.details["count"] == 5);
    CHECK(result.details["ok_count"] == 2);
    CHECK(result.details["fail_count"] == 1);
    CHECK(result.details["info_count"] == 2);
    CHECK(result.details["by_f"]["read"] == json{{"count", 2}, {"ok_count", 1}, {"fail_count", 0}, {"info_count", 1}});
    CHECK(result.details["by_f"]["write"] == json{{"count", 2}, {"ok_count", 1}, {"fail_count", 1}, {"info_count", 0}});
    CHECK_FALSE(result.details["by_f"].contains("kill"));
    SECTION("a function that never succeeded makes it unknown") {
      CHECK(result.verdict == Verdict::unknown);
      CHECK(result.details["never_ok"] == json::array({"cas"}));
    }
  }
}

TEST_CASE("stats: valid when every function succeeded, unknown without client ops") {
  CHECK(check_stats(jsonl(line("0", "invoke", "read", 0) + line("0", "ok", "read", 1))).verdict == Verdict::valid);
  const CheckResult empty = check_stats(jsonl(line("\"nemesis\"", "info", "kill", 1)));
  CHECK(empty.verdict == Verdict::unknown);
  CHECK(empty.details["count"] == 0);
}

TEST_CASE("latency: nearest-rank quantiles") {
  CHECK(nearest_rank_quantile({1, 2, 3, 4}, 0.5) == 2);
  CHECK(nearest_rank_quantile({1, 2, 3, 4}, 0.9) == 4);
  CHECK(nearest_rank_quantile({7}, 0.01) == 7);
  std::vector<std::int64_t> hundred;
  for (std::int64_t i = 1; i <= 100; ++i) hundred.push_back(i);
  CHECK(nearest_rank_quantile(hundred, 0.99) == 99);
  CHECK(nearest_rank_quantile(hundred, 1.0) == 100);
}

TEST_CASE("latency: ok ops per function, in ms, and throughput over the run") {
  // reads take 10, 20, 30, 40 ms; a write 5 ms; a failed write (1000 ms) does not count.
  const History history =
      jsonl(line("0", "invoke", "read", 0) + line("0", "ok", "read", 10, "1") + line("0", "invoke", "read", 100) +
            line("0", "ok", "read", 120, "1") + line("1", "invoke", "write", 200, "1") +
            line("1", "fail", "write", 1200, "1") + line("0", "invoke", "read", 300) +
            line("0", "ok", "read", 330, "1") + line("0", "invoke", "read", 400) + line("0", "ok", "read", 440, "1") +
            line("2", "invoke", "write", 1995, "2") + line("2", "ok", "write", 2000, "2"));
  CheckResult result = check_latency(history);
  CHECK(result.verdict == Verdict::valid);
  const json& read = result.details["by_f"]["read"];
  CHECK(read["ok_count"] == 4);
  CHECK(read["p50_ms"] == Approx(20.0));
  CHECK(read["p90_ms"] == Approx(40.0));
  CHECK(read["p99_ms"] == Approx(40.0));
  CHECK(read["max_ms"] == Approx(40.0));
  CHECK(result.details["by_f"]["write"]["max_ms"] == Approx(5.0));
  CHECK(result.details["all"]["ok_count"] == 5);
  CHECK(result.details["all"]["p50_ms"] == Approx(20.0));
  CHECK(result.details["duration_s"] == Approx(2.0));
  CHECK(result.details["ok_per_s"] == Approx(2.5));
}

TEST_CASE("latency: no ok op gives null quantiles, no client op is unknown") {
  CheckResult failed = check_latency(jsonl(line("0", "invoke", "read", 0) + line("0", "fail", "read", 10)));
  CHECK(failed.verdict == Verdict::valid);
  CHECK(failed.details["all"]["p50_ms"].is_null());
  CHECK(check_latency(jsonl("")).verdict == Verdict::unknown);
}

TEST_CASE("availability: ops invoked while a fault is in place count as inside") {
  const std::string nemesis = "\"nemesis\"";
  // kill n1 is in place at 100 ms (its completion), restart n1 at 300 ms.
  const History history = jsonl(
      line("0", "invoke", "read", 0) + line("0", "ok", "read", 10, "1") +                  // outside
      line(nemesis, "invoke", "kill", 90, "[\"n1\"]") + line("0", "invoke", "read", 95) +  // still outside: 95 < 100
      line(nemesis, "info", "kill", 100, "[\"n1\"]") + line("0", "ok", "read", 110, "1") +
      line("1", "invoke", "write", 150, "1") + line("1", "info", "write", 250, "1") +  // inside
      line("2", "invoke", "read", 260) + line("2", "fail", "read", 270) +              // inside
      line(nemesis, "invoke", "restart", 290, "[\"n1\"]") + line(nemesis, "info", "restart", 300, "[\"n1\"]") +
      line("2", "invoke", "read", 300) + line("2", "ok", "read", 310, "1"));  // outside: the window is [100, 300)
  CheckResult result = check_availability(history);
  CHECK(result.verdict == Verdict::valid);
  CHECK(result.details["inside"] ==
        json{{"count", 2}, {"ok_count", 0}, {"fail_count", 1}, {"info_count", 1}, {"ok_share", 0.0}, {"answered_count", 0}, {"answered_share", 0.0}});
  CHECK(result.details["outside"]["count"] == 3);
  CHECK(result.details["outside"]["ok_share"] == Approx(1.0));
  REQUIRE(result.details["windows_count"] == 1);
  const json& window = result.details["windows"][0];
  CHECK(window["kind"] == "killed");
  CHECK(window["value"] == json::array({"n1"}));
  CHECK(window["start_index"] == 4);
  CHECK(window["start_time_ns"] == 100 * ms);
  CHECK(window["end_index"] == 11);
  CHECK(window["end_time_ns"] == 300 * ms);
  CHECK(window["ops"]["count"] == 2);
}

TEST_CASE("availability: closing ops match by value, else close every window of their kind") {
  const std::string nemesis = "\"nemesis\"";
  const History history =
      jsonl(line(nemesis, "info", "kill", 10, "[\"n1\"]") + line(nemesis, "info", "kill", 20, "[\"n2\"]") +
            line(nemesis, "info", "partition", 25, "{\"n1\":[\"n2\"]}") +
            line(nemesis, "info", "restart", 30, "[\"n2\"]") +          // ends kill n2 only
            line(nemesis, "info", "heal", 40, "null") +                 // no partition with value null: ends them all
            line(nemesis, "info", "pause", 50, "[\"n3\"]") +            // never resumed: open to the end
            line(nemesis, "fail", "clock-bump", 55, "{\"n1\":1000}") +  // failed: no fault in place
            line(nemesis, "info", "scramble", 60, "null") + line("0", "invoke", "read", 70) +
            line("0", "ok", "read", 80, "1"));
  CheckResult result = check_availability(history);
  const json& windows = result.details["windows"];
  REQUIRE(windows.size() == 4);
  CHECK(windows[0]["kind"] == "killed");
  CHECK(windows[0]["end_index"].is_null());  // kill n1 never restarted
  CHECK(windows[1]["end_time_ns"] == 30 * ms);
  CHECK(windows[2]["kind"] == "partitioned");
  CHECK(windows[2]["end_time_ns"] == 40 * ms);
  CHECK(windows[3]["kind"] == "paused");
  CHECK(windows[3]["end_index"].is_null());
  CHECK(result.details["unknown_nemesis_fs"] == json::array({"scramble"}));
  // The read at 70 ms falls inside kill n1 and pause n3, and counts once inside.
  CHECK(result.details["inside"]["count"] == 1);
  CHECK(result.details["outside"]["count"] == 0);
  CHECK(windows[0]["ops"]["count"] == 1);
  CHECK(windows[3]["ops"]["count"] == 1);
  CHECK(windows[1]["ops"]["count"] == 0);
}

TEST_CASE("availability: nodes are repaired one by one, a window ends when none is left faulty") {
  const std::string nemesis = "\"nemesis\"";
  const History history =
      jsonl(line(nemesis, "info", "kill", 10, "[\"n1\",\"n3\"]") + line(nemesis, "info", "kill", 15, "[\"n2\"]") +
            line(nemesis, "info", "restart", 20, "[\"n1\"]") + line(nemesis, "info", "restart", 22, "[\"n5\"]") +
            line("0", "invoke", "read", 25) + line("0", "ok", "read", 26, "1") +
            line(nemesis, "info", "restart", 30, "[\"n3\",\"n2\"]") + line("0", "invoke", "read", 35) +
            line("0", "ok", "read", 36, "1"));
  CheckResult result = check_availability(history);
  const json& windows = result.details["windows"];
  REQUIRE(windows.size() == 2);
  CHECK(windows[0]["end_time_ns"] == 30 * ms);  // n3 was still down after restart n1
  CHECK(windows[1]["end_time_ns"] == 30 * ms);
  CHECK(windows[0]["ops"]["count"] == 1);
  CHECK(result.details["inside"]["count"] == 1);
  CHECK(result.details["outside"]["count"] == 1);
}

TEST_CASE("availability: no client ops is unknown") {
  CHECK(check_availability(jsonl(line("\"nemesis\"", "info", "kill", 1, "[\"n1\"]"))).verdict == Verdict::unknown);
}

TEST_CASE("availability: a failed compare is an answer, a refusal or a timeout is not") {
  auto completion = [](int process, const std::string& type, std::int64_t time_ms, const std::string& answer) {
    return R"({"process":)" + std::to_string(process) + R"(,"type":")" + type + R"(","f":"cas","value":[1,2],"time":)" +
           std::to_string(time_ms * ms) + (answer.empty() ? "" : R"(,"answer":")" + answer + "\"") + "}\n";
  };
  const History history = jsonl(
      line("0", "invoke", "cas", 0, "[1,2]") + completion(0, "ok", 1, "") + line("1", "invoke", "cas", 2, "[1,2]") +
      completion(1, "fail", 3, "answered") + line("2", "invoke", "cas", 4, "[1,2]") + completion(2, "fail", 5, "refused") +
      line("3", "invoke", "cas", 6, "[1,2]") + completion(3, "info", 7, "timeout"));
  const CheckResult result = check_availability(history);
  const json& outside = result.details["outside"];
  CHECK(outside["count"] == 4);
  CHECK(outside["ok_share"] == 0.25);
  CHECK(outside["answered_count"] == 2);
  CHECK(outside["answered_share"] == 0.5);
}

TEST_CASE("availability: a clock bump's window closes when its nodes' clocks are reset") {
  const History history = jsonl(
      line("\"nemesis\"", "invoke", "clock-bump", 10, R"({"n1":-2300,"n3":120})") +
      line("\"nemesis\"", "info", "clock-bump", 11, R"({"n1":-2300,"n3":120})") +
      line("\"nemesis\"", "invoke", "clock-reset", 20, R"(["n1"])") + line("\"nemesis\"", "info", "clock-reset", 21, R"(["n1"])") +
      line("\"nemesis\"", "invoke", "clock-reset", 30, R"(["n2","n3"])") +
      line("\"nemesis\"", "info", "clock-reset", 31, R"(["n2","n3"])") + line("0", "invoke", "read", 40) +
      line("0", "ok", "read", 41, "3"));
  const CheckResult result = check_availability(history);
  REQUIRE(result.details["windows_count"] == 1);
  CHECK(result.details["windows"][0]["end_time_ns"] == 31 * ms);  // n3's reset ended it
  CHECK(faults_repaired(history).last_repair_ns == 31 * ms);
}

TEST_CASE("availability: a restarted node's clock is right again, so the reset that names only the others ends the window") {
  // As the nemesis heals: n1 was bumped, then killed; its restart brings a fresh process with
  // the right clock, so the clock reset names only n2 and n3.
  const History history = jsonl(
      line("\"nemesis\"", "invoke", "clock-bump", 10, R"({"n1":603,"n2":8182,"n3":-246})") +
      line("\"nemesis\"", "info", "clock-bump", 11, R"({"n1":603,"n2":8182,"n3":-246})") +
      line("\"nemesis\"", "invoke", "kill", 20, R"(["n1"])") + line("\"nemesis\"", "info", "kill", 21, R"(["n1"])") +
      line("\"nemesis\"", "invoke", "restart", 30, R"(["n1"])") + line("\"nemesis\"", "info", "restart", 31, R"(["n1"])") +
      line("\"nemesis\"", "invoke", "clock-reset", 32, R"(["n2","n3"])") +
      line("\"nemesis\"", "info", "clock-reset", 33, R"(["n2","n3"])") + line("0", "invoke", "read", 40) +
      line("0", "ok", "read", 41, "3"));
  const CheckResult result = check_availability(history);
  REQUIRE(result.details["windows_count"] == 2);
  CHECK(result.details["windows"][0]["end_time_ns"] == 33 * ms);  // the clock window
  CHECK(result.details["windows"][1]["end_time_ns"] == 31 * ms);  // the kill window
  CHECK(faults_repaired(history).last_repair_ns == 33 * ms);
}

TEST_CASE("availability and latency: their details are typed results that read back to the same JSON", "[results]") {
  const std::string nemesis = "\"nemesis\"";
  // A kill window from 100 ms that never closes; a read ok outside it, a write info inside.
  const History history = jsonl(line("0", "invoke", "read", 0) + line("0", "ok", "read", 10, "1") +
                                line(nemesis, "invoke", "kill", 90, "[\"n1\"]") +
                                line(nemesis, "info", "kill", 100, "[\"n1\"]") + line("1", "invoke", "write", 150, "1") +
                                line("1", "info", "write", 250, "1") + line("0", "invoke", "read", 260) +
                                line("0", "ok", "read", 290, "1"));
  const CheckResult availability = check_availability(history);
  const auto typed = availability.details.get<AvailabilityResult>();
  CHECK(json(typed) == availability.details);
  CHECK(typed.inside.count == 2);
  CHECK(typed.inside.ok_share() == 0.5);
  CHECK(typed.outside.ok_share() == 1.0);
  REQUIRE(typed.windows.size() == 1);
  CHECK(typed.windows[0].kind == "killed");
  CHECK_FALSE(typed.windows[0].end_time_ns.has_value());

  const CheckResult latency = check_latency(history);
  const auto typed_latency = latency.details.get<LatencyResult>();
  CHECK(json(typed_latency) == latency.details);
  CHECK(typed_latency.all.ok_count == 2);
  CHECK(typed_latency.all.max_ms == Approx(30.0));
  CHECK(typed_latency.by_f.at("read").p50_ms == Approx(10.0));
  CHECK_FALSE(typed_latency.by_f.contains("write"));
}

TEST_CASE("measurement results: fields missing from older results take their defaults", "[results]") {
  const auto availability = json::parse(R"({"inside":{"count":4,"ok_count":1}})").get<AvailabilityResult>();
  CHECK(availability.inside.ok_share() == 0.25);
  CHECK(availability.inside.answered == 1);  // before answers were counted apart, every answer was an ok
  CHECK_FALSE(availability.outside.ok_share().has_value());
  const auto latency = json::parse(R"({"all":{"ok_count":0,"p50_ms":null}})").get<LatencyResult>();
  CHECK_FALSE(latency.all.p50_ms.has_value());
  CHECK_FALSE(latency.ok_per_s.has_value());
}
