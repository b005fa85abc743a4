// Suites: the file's format and its errors, the runs a suite plans, and what their outcomes add
// up to (summary.json, exit codes).
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "command.h"
#include "suite_results.h"
#include "suite_spec.h"

using namespace faultline;
using nlohmann::json;

namespace {

const char* two_by_two = R"({
  "name": "small",
  "time_limit_s": 8,
  "seeds": [1, 2],
  "defaults": {"rate": 150},
  "configurations": [
    {"name": "paxos", "options": {"protocol": "paxos"}},
    {"name": "R1 W1", "options": {"protocol": "quorum", "read_quorum": 1, "write_quorum": 1},
     "expect": "invalid", "expect_by_nemesis": {"none": "valid"}}
  ],
  "nemeses": ["none", "kill,pause"]
})";

SuiteSpec parsed(const std::string& text) {
  auto spec = parse_suite(text, "s.json");
  INFO((spec ? "" : spec.error()));
  REQUIRE(spec.has_value());
  return *spec;
}

std::string parse_error(const std::string& text) {
  auto spec = parse_suite(text, "s.json");
  REQUIRE_FALSE(spec.has_value());
  return spec.error();
}

}  // namespace

TEST_CASE("a suite plans every configuration x workload x nemesis x seed, with merged options and names") {
  const SuiteSpec spec = parsed(two_by_two);
  auto runs = plan_suite(spec, "st", "s.json");
  REQUIRE(runs.has_value());
  REQUIRE(runs->size() == 8);
  const SuiteRun& first = (*runs)[0];
  CHECK(first.cell == SuiteCell{"paxos", "default", "none", "valid"});
  CHECK(first.seed == 1);
  CHECK(first.options.nemesis.empty());
  CHECK(first.options.rate == 150);
  CHECK(first.options.time_limit_s == 8);
  CHECK(first.options.store == "st");
  CHECK(first.options.name == "small.paxos.default.none.s1");
  CHECK(first.options.workload == "register");
  const SuiteRun& last = runs->back();
  CHECK(last.cell == SuiteCell{"R1 W1", "default", "kill,pause", "invalid"});
  CHECK(last.seed == 2);
  CHECK(last.options.protocol == "quorum");
  CHECK(last.options.read_quorum == 1);
  CHECK(last.options.nemesis == std::vector<std::string>{"kill", "pause"});
  CHECK(last.options.name == "small.R1-W1.default.kill-pause.s2");
  CHECK((*runs)[4].cell.expect == "valid");  // R1 W1 without faults: expect_by_nemesis
}

TEST_CASE("bad suites are refused with the file and the field") {
  CHECK_THAT(parse_error("{\"name\": \"x\",\n \"nemeses\": [}"), Catch::StartsWith("s.json: not JSON: ") &&
                                                                     Catch::Contains("line 2"));
  // Found by fuzz/suite_file_fuzz: a suite without configurations or nemeses failed an assertion.
  CHECK(parse_error(R"({"name": "x", "nemeses": ["kill"]})") == "s.json: configurations: missing (expected a non-empty array)");
  CHECK(parse_error(R"({"name": "x", "configurations": [{"name": "p"}]})") == "s.json: nemeses: missing (expected a non-empty array)");
  // Found by fuzz/suite_file_fuzz: a number too large for a double aborted the program.
  CHECK_THAT(parse_error(R"({"name": "x", "time_limit_s": 1e999})"), Catch::StartsWith("s.json: not usable JSON: ") &&
                                                                     Catch::Contains("number overflow"));
  CHECK(parse_error(R"({"name": "a/b"})") == "s.json: name: required; letters, digits, - and _ only (it names a directory)");
  CHECK(parse_error(R"({"name": "x", "colour": 1})") == "s.json: colour: not a field of a suite");
  CHECK(parse_error(R"({"name": "x", "configurations": [], "nemeses": ["none"]})") ==
        "s.json: configurations: expected a non-empty array");
  CHECK(parse_error(R"({"name": "x", "configurations": [{"name": "p", "options": {"read_qorum": 1}}], "nemeses": ["none"]})") ==
        "s.json: configurations[0].options.read_qorum: not a test option (see test.json of any run)");
  CHECK(parse_error(R"({"name": "x", "configurations": [{"name": "p", "expect": "maybe"}], "nemeses": ["none"]})") ==
        "s.json: configurations[0].expect: expected \"valid\", \"invalid\" or \"any\"");
  CHECK(parse_error(R"({"name": "x", "configurations": [{"name": "p", "expect_by_nemesis": {"kil": "valid"}}], "nemeses": ["kill"]})") ==
        "s.json: configurations[0].expect_by_nemesis.kil: no nemesis of the suite has that name");
  CHECK(parse_error(R"({"name": "x", "configurations": [{"name": "p"}, {"name": "p"}], "nemeses": ["none"]})") ==
        "s.json: configurations[1].name: \"p\" appears twice");
  CHECK(parse_error(R"({"name": "x", "configurations": [{"name": "p"}], "nemeses": ["kill,"]})") ==
        "s.json: nemeses[0]: an empty fault in \"kill,\"");
  CHECK(parse_error(R"({"name": "x", "seeds": [-1], "configurations": [{"name": "p"}], "nemeses": ["none"]})") ==
        "s.json: seeds[0]: expected a non-negative integer");
  // Options that parse but do not make a valid test: named by the cell.
  const SuiteSpec spec = parsed(R"({"name": "x", "configurations": [{"name": "p", "options": {"protocol": "quorum", "read_quorum": 7}}], "nemeses": ["meteor"]})");
  auto runs = plan_suite(spec, "st", "s.json");
  REQUIRE_FALSE(runs.has_value());
  CHECK_THAT(runs.error(), Catch::StartsWith("s.json: configuration \"p\", workload \"default\", nemesis \"meteor\": "));
}

TEST_CASE("a run's outcome comes from its results, a cell meets its expectation only when every run does") {
  const SuiteSpec spec = parsed(two_by_two);
  const std::vector<SuiteRun> runs = *plan_suite(spec, "st", "s.json");
  const json invalid = {{"valid", false},
                        {"checkers",
                         {{"linearizability", {{"valid", false}, {"invalid_key_count", 2}, {"anomaly", {{"key", "k1"}, {"explanation", "read 3 of nothing"}, {"op", {{"invoke_time", 2'500'000'000}}}}}}},
                          {"availability", {{"valid", true}, {"inside", {{"count", 4}, {"ok_count", 2}, {"ok_share", 0.5}}}}},
                          {"latency", {{"valid", true}, {"all", {{"p50_ms", 2.0}, {"p99_ms", 40.0}}}, {"ok_per_s", 90.0}}}}}};
  const json valid = {{"valid", true}, {"checkers", {{"linearizability", {{"valid", true}, {"ops", 10}, {"keys", 1}}}}}};
  const SuiteRunOutcome caught = outcome_of_run(runs[6], 1, invalid, "small.R1-W1/T1", "", 9.5);  // R1W1 kill,pause s1
  CHECK(caught.verdict == "invalid");
  CHECK(caught.met());
  CHECK(caught.anomalies == 2);
  CHECK(caught.summary == "linearizability: key k1: read 3 of nothing");
  CHECK(caught.ok_share_during_faults == 0.5);
  CHECK(caught.p99_ms == 40.0);
  CHECK(caught.ok_per_s == 90.0);
  CHECK(caught.first_anomaly_s == 2.5);
  const SuiteRunOutcome missed = outcome_of_run(runs[7], 0, valid, "small.R1-W1/T2", "", 9.5);  // s2 found nothing
  CHECK_FALSE(missed.met());
  const SuiteRunOutcome crashed = outcome_of_run(runs[0], 3, nullptr, "", "node n1 did not start", 1);
  CHECK(crashed.verdict == "error");
  CHECK_THAT(crashed.summary, Catch::Contains("exit code 3") && Catch::Contains("node n1 did not start"));

  const json summary = suite_summary_json(spec, {caught, missed}, 8, "T", 20, false);
  REQUIRE(summary["cells"].size() == 1);
  const json& cell = summary["cells"][0];
  CHECK(cell["verdict"] == "invalid");
  CHECK(cell["met"] == false);  // seed 2 missed the anomaly
  CHECK(cell["invalid_runs"] == 1);
  CHECK(summary["counts"] == json{{"planned", 8}, {"runs", 2}, {"met", 1}, {"missed", 1}, {"unknown", 0}});
  CHECK(summary["rows"].size() == 2);
  CHECK(summary["exit_code"] == exit_invalid);
  // The system each row ran, with its version, as its runs' test.json named it.
  SuiteRunOutcome named = caught;
  named.target = "etcd 3.4.23";
  const json with_target = suite_summary_json(spec, {named, missed}, 8, "T", 20, false);
  CHECK(with_target["rows"][1]["target"] == "etcd 3.4.23");
  CHECK(with_target["cells"][0]["runs"][0]["target"] == "etcd 3.4.23");
  CHECK_FALSE(with_target["rows"][0].contains("target"));  // the paxos row has no finished run

  SuiteRunOutcome either = missed;
  either.cell.expect = "any";
  CHECK(either.met());
  either.verdict = "unknown";
  CHECK_FALSE(either.met());

  CHECK(suite_exit_code({caught}, false) == exit_valid);
  CHECK(suite_exit_code({caught, missed}, false) == exit_invalid);
  CHECK(suite_exit_code({caught, crashed}, false) == exit_unknown);
  CHECK(suite_exit_code({caught}, true) == exit_unknown);
  CHECK(suite_exit_code({caught, missed, crashed}, true) == exit_invalid);
}

TEST_CASE("every suite shipped in suites/ parses and plans runs whose options are valid, target options included") {
  std::size_t suites = 0;
  for (const auto& entry : std::filesystem::directory_iterator("suites")) {
    if (entry.path().extension() != ".json") continue;
    ++suites;
    INFO(entry.path());
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    auto spec = parse_suite(text, entry.path().string());
    INFO((spec ? "" : spec.error()));
    REQUIRE(spec.has_value());
    auto runs = plan_suite(*spec, "store", entry.path().string());
    INFO((runs ? "" : runs.error()));
    REQUIRE(runs.has_value());
    CHECK_FALSE(runs->empty());
  }
  CHECK(suites >= 5);
}

TEST_CASE("a target's own option is a suite option, a misspelt one is refused") {
  const std::string etcd = R"({"name": "e", "defaults": {"target": "etcd"},
    "configurations": [{"name": "serializable", "options": {"etcd_reads": "serializable"}}], "nemeses": ["none"]})";
  auto runs = plan_suite(parsed(etcd), "store", "s.json");
  INFO((runs ? "" : runs.error()));
  REQUIRE(runs.has_value());
  CHECK(runs->at(0).options.target_options["etcd_reads"] == "serializable");
  std::string misspelt = etcd;
  misspelt.replace(misspelt.find("etcd_reads"), 10, "etcd_raeds");
  CHECK(parse_error(misspelt) == "s.json: configurations[0].options.etcd_raeds: not a test option (see test.json of any run)");
}
