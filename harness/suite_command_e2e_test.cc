// End to end: `faultline suite` on a small matrix (2 configurations x 2 nemeses, short runs) of
// real clusters: the runs land in the store, the matrix, summary, JUnit and trends pages are
// written, and the exit code says whether every cell met its expectation. One cell's
// expectation is wrong on purpose (Paxos expected invalid under a partition), so the suite
// must exit 1 and name it.
#include <catch2/catch.hpp>

#include "e2e_support.h"

using namespace faultline::e2e;

namespace {

const char* small_suite = R"({
  "name": "e2e",
  "description": "two configurations, two nemeses",
  "time_limit_s": 8,
  "defaults": {"rate": 150, "nemesis_interval_s": 1.5, "workload": "kv", "keys": 20, "cas": false},
  "configurations": [
    {"name": "paxos", "options": {"protocol": "paxos"}, "expect_by_nemesis": {"isolate n3": "invalid"}},
    {"name": "R1W1", "options": {"protocol": "quorum", "read_quorum": 1, "write_quorum": 1}, "expect": "invalid"}
  ],
  "nemeses": [
    {"name": "isolate n3", "options": {"nemesis": ["partition"], "partition_kinds": [],
                                       "partition_grudge": "{\"n1\": [\"n3\"], \"n2\": [\"n3\"], \"n3\": [\"n1\", \"n2\"]}"}},
    {"name": "slow links", "options": {"nemesis": ["packet"], "packet_behaviours": ["delay"]}}
  ]
})";

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

const json& cell_of(const json& summary, const std::string& configuration, const std::string& nemesis) {
  for (const json& cell : summary["cells"])
    if (cell["configuration"] == configuration && cell["nemesis"] == nemesis) return cell;
  FAIL("no cell " << configuration << " / " << nemesis);
  throw;
}

}  // namespace

TEST_CASE("a small suite runs its matrix, writes matrix, summary, JUnit and trends, and exits 1 for a missed cell") {
  TempStore store;
  const fs::path suite_file = store.path / "e2e.json";
  write_text(suite_file, small_suite);
  Run run = run_faultline({"suite", suite_file.string(), "--store", store.path.string(), "--parallel", "2"},
                          store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.output, Catch::Contains("paxos / kv / isolate n3 seed 1: valid (expected invalid)"));

  const fs::path suite_root = store.path / "suites" / "e2e";
  std::vector<fs::path> suite_runs;
  for (const auto& entry : fs::directory_iterator(suite_root))
    if (entry.is_directory()) suite_runs.push_back(entry.path());
  REQUIRE(suite_runs.size() == 1);
  const fs::path directory = suite_runs.front();

  const json summary = read_json(directory / "summary.json");
  CHECK(summary["exit_code"] == 1);
  CHECK(summary["counts"] == json{{"planned", 4}, {"runs", 4}, {"met", 3}, {"missed", 1}, {"unknown", 0}});
  CHECK(cell_of(summary, "paxos", "slow links")["verdict"] == "valid");
  CHECK(cell_of(summary, "paxos", "slow links")["met"] == true);
  CHECK(cell_of(summary, "paxos", "isolate n3")["met"] == false);
  CHECK(cell_of(summary, "R1W1", "isolate n3")["verdict"] == "invalid");
  CHECK(cell_of(summary, "R1W1", "slow links")["verdict"] == "invalid");
  // Every run is in the store like a single test, with its report.
  for (const json& cell : summary["cells"])
    for (const json& r : cell["runs"]) {
      CHECK(fs::exists(store.path / r["run_directory"].get<std::string>() / "report.html"));
      CHECK(fs::exists(store.path / r["run_directory"].get<std::string>() / "results.json"));
    }

  const std::string junit = read_text(directory / "junit.xml");
  CHECK_THAT(junit, Catch::Contains("<testsuite name=\"e2e\" tests=\"4\" failures=\"1\" errors=\"0\""));
  CHECK_THAT(junit, Catch::Contains("<testcase classname=\"e2e.paxos.kv\" name=\"isolate n3 seed 1\""));
  CHECK_THAT(junit, Catch::Contains("<failure message=\"expected invalid, got valid"));

  const std::string matrix = read_text(directory / "matrix.html");
  CHECK_THAT(matrix, Catch::Contains("<th>isolate n3</th><th>slow links</th>"));
  // Its links to the runs' reports resolve from where the matrix is.
  const std::string prefix = "href=\"../../../";
  std::size_t links = 0;
  for (std::size_t at = matrix.find(prefix); at != std::string::npos; at = matrix.find(prefix, at + 1)) {
    const std::size_t end = matrix.find('"', at + prefix.size());
    const std::string target = matrix.substr(at + 6, end - at - 6);
    CHECK(fs::exists(directory / target));
    ++links;
  }
  CHECK(links >= 4);
  const std::string trends = read_text(suite_root / "index.html");
  CHECK_THAT(trends, Catch::Contains("paxos / kv / isolate n3"));
  CHECK_THAT(trends, Catch::Contains("100% (1 of 1)"));
  CHECK(processes_mentioning(store.path.string()).empty());
}

TEST_CASE("a bad suite file exits 3 naming the file and field; --dry-run lists the runs and runs nothing") {
  TempStore store;
  const fs::path bad = store.path / "bad.json";
  write_text(bad, R"({"name": "x", "configurations": [{"name": "p", "options": {"protocl": "paxos"}}], "nemeses": ["none"]})");
  Run refused = run_faultline({"suite", bad.string(), "--store", store.path.string()}, store.path / "out.txt");
  CHECK(refused.exit_code == 3);
  CHECK_THAT(refused.output, Catch::Contains(bad.string() + ": configurations[0].options.protocl: not a test option"));

  const fs::path suite_file = store.path / "e2e.json";
  write_text(suite_file, small_suite);
  Run listed = run_faultline({"suite", suite_file.string(), "--store", store.path.string(), "--dry-run"},
                             store.path / "out.txt");
  INFO(listed.output);
  CHECK(listed.exit_code == 0);
  CHECK_THAT(listed.output, Catch::Contains("4 cells, 4 runs"));
  CHECK_THAT(listed.output, Catch::Contains("R1W1 / kv / slow links seed 1 (expect invalid): faultline test --protocol quorum"));
  CHECK_FALSE(fs::exists(store.path / "suites"));
}
