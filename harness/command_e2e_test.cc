// End to end: --target command, faultline-node launched from the shipped target files as if it
// were a foreign system, partitioned through the per-link proxies (no root needed).
#include <catch2/catch.hpp>

#include "e2e_support.h"

using namespace faultline::e2e;

namespace {

const fs::path examples = "targets/command/examples";  // tests run from the source directory

std::vector<std::pair<std::string, std::string>> partition_kv(const std::string& target_file) {
  return {{"--target", "command"}, {"--target-file", (examples / target_file).string()},
          {"--workload", "kv"},    {"--keys", "20"},
          {"--nemesis", "partition"}, {"--partition", "isolate"},
          {"--nemesis-interval", "3"}, {"--time-limit", "14"}};
}

}  // namespace

TEST_CASE("command target: quorum R=1 W=1 from a target file goes stale under partitions, Paxos does not") {
  TempStore store;
  for (const std::string file : {"faultline-node-quorum-r1w1.json", "faultline-node-paxos.json"}) {
    std::vector<std::string> arguments = test_arguments(store, file, 4, partition_kv(file));
    arguments.push_back("--no-cas");
    Run run = run_faultline(arguments, store.path / "out.txt");
    INFO(file << "\n" << run.output);
    const json results = read_json(store.path / file / "latest" / "results.json");
    const json test = read_json(store.path / file / "latest" / "test.json");
    CHECK(test["target"] == "command");
    CHECK(test["target_details"]["target_file"].get<std::string>().ends_with(file));
    CHECK(test["network"] == "proxy");  // the file's nodes dial the peer addresses they are given
    if (file == "faultline-node-paxos.json") {
      CHECK(run.exit_code == 0);
      CHECK(results["checkers"]["linearizability"]["valid"] == true);
    } else {
      CHECK(run.exit_code == 1);
      CHECK(results["checkers"]["linearizability"]["valid"] == false);
    }
    CHECK(results["checkers"]["recovery"]["valid"] == true);
    CHECK(processes_mentioning(store.path.string()).empty());
  }
}

TEST_CASE("command target: a bad target file is refused with the file and the field, before anything starts") {
  TempStore store;
  const fs::path file = store.path / "mydb.json";
  std::ofstream(file) << R"({"start": ["{faultline_node}", "--listen", "{lisen}"]})";
  Run run = run_faultline({"test", "--store", store.path.string(), "--name", "bad", "--target", "command",
                           "--target-file", file.string()},
                          store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.output, Catch::Contains(file.string() + ": start[2]: unknown template {lisen}"));
  CHECK_FALSE(fs::exists(store.path / "bad"));
  run = run_faultline({"test", "--store", store.path.string(), "--name", "bad", "--target", "command"},
                      store.path / "out.txt");
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.output, Catch::Contains("--target command needs --target-file FILE"));
}

TEST_CASE("command target: a system that does not start ends the run as not started, never running or valid") {
  TempStore store;
  const fs::path file = store.path / "dies.json";
  std::ofstream(file) << R"({"start": ["/bin/sh", "-c", "echo no such database >&2; exit 7", "{listen}"],
                             "start_timeout_ms": 3000})";
  Run run = run_faultline({"test", "--store", store.path.string(), "--name", "dies", "--target", "command",
                           "--target-file", file.string(), "--time-limit", "5"},
                          store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.output, Catch::Contains("the target did not start"));
  const fs::path latest = store.path / "dies" / "latest";
  CHECK(read_json(latest / "run_state.json")["state"] == "not_started");
  CHECK_FALSE(fs::exists(latest / "results.json"));
  run = run_faultline({"analyze", latest.string()}, store.path / "analyze.txt");
  INFO(run.output);
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.output, Catch::Contains("the target did not start"));
  CHECK(read_json(latest / "results.json")["run_state"] == "not_started");
  CHECK(processes_mentioning(store.path.string()).empty());
}
