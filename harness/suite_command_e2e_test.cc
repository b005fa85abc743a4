// End to end: `faultline suite` on a small matrix (2 configurations x 2 nemeses, short runs) of
// real clusters: the runs land in the store, the matrix, summary, JUnit and trends pages are
// written, and the exit code says whether every cell met its expectation. One cell's
// expectation is wrong on purpose (Paxos expected invalid under a partition), so the suite
// must exit 1 and name it. Then suites across machines: a small suite run whole and as 3
// shards (3 stores, at once), merged with `faultline suite-merge`: the same matrix; shards that
// do not make one whole suite are refused.
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

TEST_CASE("a bad suite file exits 3 naming the file and field, and --dry-run lists the runs and runs nothing") {
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

namespace {

// Two configurations x two nemeses x two seeds of short runs, every verdict expected or `any`.
const char* sharded_suite = R"({
  "name": "sharded",
  "time_limit_s": 3,
  "seeds": [1, 2],
  "defaults": {"rate": 100, "nemesis_interval_s": 1, "workload": "register"},
  "configurations": [
    {"name": "paxos", "options": {"protocol": "paxos"}},
    {"name": "R1W1", "options": {"protocol": "quorum", "read_quorum": 1, "write_quorum": 1}, "expect": "any"}
  ],
  "nemeses": ["none", "kill"]
})";

// The one suite run directory under `suite_root`.
fs::path only_suite_run(const fs::path& suite_root) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(suite_root))
    if (entry.is_directory()) found.push_back(entry.path());
  REQUIRE(found.size() == 1);
  return found.front();
}

// What the matrix is, without the figures that differ from run to run: the cells (configuration,
// workload, nemesis, expectation) with their seeds, the rows, the columns and the counts.
json matrix_shape(const json& summary) {
  json cells = json::array();
  for (const json& cell : summary["cells"]) {
    json seeds = json::array();
    for (const json& run : cell["runs"]) seeds.push_back(run["seed"]);
    cells.push_back({cell["configuration"], cell["workload"], cell["nemesis"], cell["expect"], seeds});
  }
  json rows = json::array();
  for (const json& row : summary["rows"]) rows.push_back({row["configuration"], row["workload"]});
  return {{"cells", cells}, {"rows", rows}, {"nemeses", summary["nemeses"]},
          {"planned", summary["counts"]["planned"]}, {"runs", summary["counts"]["runs"]}};
}

// Every occurrence of `open`...`close` in `text`, in order.
std::vector<std::string> pieces(const std::string& text, const std::string& open, const std::string& close) {
  std::vector<std::string> found;
  for (std::size_t at = text.find(open); at != std::string::npos; at = text.find(open, at + 1))
    found.push_back(text.substr(at, text.find(close, at) + close.size() - at));
  return found;
}

}  // namespace

TEST_CASE("a suite run as 3 shards and merged has the unsharded run's matrix, and mismatched shards are refused") {
  TempStore store;
  const fs::path suite_file = store.path / "sharded.json";
  write_text(suite_file, sharded_suite);
  std::string seeds_changed = sharded_suite;
  seeds_changed.replace(seeds_changed.find("[1, 2]"), 6, "[1, 3]");
  const fs::path other_file = store.path / "other.json";
  write_text(other_file, seeds_changed);

  Run bad = run_faultline({"suite", suite_file.string(), "--shard", "4/3"}, store.path / "bad.txt");
  CHECK(bad.exit_code == 3);
  CHECK_THAT(bad.output, Catch::Contains("--shard \"4/3\": I, the shard's index, must be between 1 and N (3)"));

  Run whole = run_faultline({"suite", suite_file.string(), "--store", (store.path / "whole").string(), "--parallel", "2"},
                            store.path / "whole.txt");
  INFO(whole.output);
  CHECK(whole.exit_code == 0);

  // Three "machines", each with a store of its own, at once; and a shard of the suite with other seeds.
  std::vector<pid_t> shards;
  for (int i = 1; i <= 3; ++i)
    shards.push_back(spawn_faultline({"suite", suite_file.string(), "--shard", std::to_string(i) + "/3", "--store",
                                      (store.path / ("shard" + std::to_string(i))).string()},
                                     store.path / ("shard" + std::to_string(i) + ".txt")));
  const pid_t other = spawn_faultline({"suite", other_file.string(), "--shard", "3/3", "--store",
                                       (store.path / "other").string()},
                                      store.path / "other.txt");
  for (int i = 1; i <= 3; ++i) {
    const int code = wait_exit_code(shards[i - 1]);
    INFO(read_text(store.path / ("shard" + std::to_string(i) + ".txt")));
    CHECK(code == 0);
  }
  CHECK(wait_exit_code(other) == 0);
  CHECK_THAT(read_text(store.path / "shard1.txt"), Catch::Contains("shard 1/3: 2 of 4 cells, 4 of 8 runs"));
  CHECK_THAT(read_text(store.path / "shard3.txt"), Catch::Contains("shard 3/3: 1 of 4 cells, 2 of 8 runs"));

  std::vector<std::string> shard_dirs;
  for (int i = 1; i <= 3; ++i)
    shard_dirs.push_back(only_suite_run(store.path / ("shard" + std::to_string(i)) / "suites" / "sharded").string());
  const json manifest = read_json(fs::path(shard_dirs[1]) / "shard.json");
  CHECK(manifest["shard"] == json{{"index", 2}, {"count", 3}});
  CHECK(manifest["seeds"] == json{1, 2});
  CHECK(manifest["suite_sha256"].get<std::string>().size() == 64);

  const fs::path merged = store.path / "merged";
  // In any order, as CI's artifacts come.
  Run merge = run_faultline({"suite-merge", shard_dirs[2], shard_dirs[0], shard_dirs[1], "--output", merged.string()},
                            store.path / "merge.txt");
  INFO(merge.output);
  CHECK(merge.exit_code == 0);
  CHECK_THAT(merge.output, Catch::Contains("run directories: 8 copied into"));

  const fs::path whole_dir = only_suite_run(store.path / "whole" / "suites" / "sharded");
  const fs::path merged_dir = only_suite_run(merged / "suites" / "sharded");
  const json whole_summary = read_json(whole_dir / "summary.json");
  const json merged_summary = read_json(merged_dir / "summary.json");
  CHECK(matrix_shape(merged_summary) == matrix_shape(whole_summary));
  CHECK(matrix_shape(merged_summary)["cells"].size() == 4);
  CHECK(merged_summary["exit_code"] == whole_summary["exit_code"]);
  CHECK(merged_summary["merged_from"].size() == 3);
  // The pages: the same columns, rows and seed links in the same places; the same JUnit test cases.
  const std::string whole_matrix = read_text(whole_dir / "matrix.html"), merged_matrix = read_text(merged_dir / "matrix.html");
  CHECK(pieces(merged_matrix, "<th>", "</th>") == pieces(whole_matrix, "<th>", "</th>"));
  CHECK(pieces(merged_matrix, "\">seed ", "</a>") == pieces(whole_matrix, "\">seed ", "</a>"));
  CHECK(pieces(read_text(merged_dir / "junit.xml"), "<testcase classname", "\" time") ==
        pieces(read_text(whole_dir / "junit.xml"), "<testcase classname", "\" time"));
  CHECK_THAT(read_text(merged_dir / "junit.xml"), Catch::Contains("<testsuite name=\"sharded\" tests=\"8\""));
  // The runs are in the merged store: the matrix's links resolve.
  std::size_t links = 0;
  for (const std::string& link : pieces(merged_matrix, "href=\"../../../", "\"")) {
    CHECK(fs::exists(merged_dir / link.substr(6, link.size() - 7)));
    ++links;
  }
  CHECK(links >= 8);
  CHECK_THAT(read_text(merged / "suites" / "sharded" / "index.html"), Catch::Contains("R1W1 / register / kill"));

  // Refused, exit 3, naming the directories; nothing written.
  const fs::path refused = store.path / "refused";
  Run missing = run_faultline({"suite-merge", shard_dirs[0], shard_dirs[1], "--output", refused.string()},
                              store.path / "refused.txt");
  CHECK(missing.exit_code == 3);
  CHECK_THAT(missing.output, Catch::Contains("shard 3/3 of suite sharded is missing; given: 1/3 (" + shard_dirs[0] + ")"));
  Run twice = run_faultline({"suite-merge", shard_dirs[0], shard_dirs[1], shard_dirs[1], shard_dirs[2], "--output",
                             refused.string()},
                            store.path / "refused.txt");
  CHECK(twice.exit_code == 3);
  CHECK_THAT(twice.output, Catch::Contains("shard 2/3 is given more than once: " + shard_dirs[1] + " and " + shard_dirs[1]));
  const std::string other_dir = only_suite_run(store.path / "other" / "suites" / "sharded").string();
  Run mismatched = run_faultline({"suite-merge", shard_dirs[0], shard_dirs[1], other_dir, "--output", refused.string()},
                                 store.path / "refused.txt");
  CHECK(mismatched.exit_code == 3);
  CHECK_THAT(mismatched.output, Catch::Contains("the shards ran different seeds, so they are not one suite: seeds [1, 2] in " +
                                                shard_dirs[0] + ", " + shard_dirs[1] + "; seeds [1, 3] in " + other_dir));
  Run unsharded = run_faultline({"suite-merge", whole_dir.string(), "--output", refused.string()}, store.path / "refused.txt");
  CHECK(unsharded.exit_code == 3);
  CHECK_THAT(unsharded.output, Catch::Contains(whole_dir.string() + ": no shard.json"));
  CHECK_FALSE(fs::exists(refused));
  CHECK(processes_mentioning(store.path.string()).empty());
}
