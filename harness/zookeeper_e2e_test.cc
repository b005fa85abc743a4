// End to end: `faultline test --target zookeeper` against real ZooKeeper servers (Debian's
// zookeeper on a JRE), one seed per behaviour; the figures over many seeds come from
// suites/zookeeper.json. Partitions need network namespaces (root): where they cannot run,
// those cases report SKIPPED, as they do without ZooKeeper.
#include <signal.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "e2e_support.h"

using namespace faultline::e2e;

namespace {

void require_zookeeper() {
  for (const char* file : {"/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-simple.jar", "/usr/bin/java"})
    if (access(file, R_OK) != 0) skip_test(std::string(file) + " is missing (Debian zookeeper, libslf4j-java, default-jre-headless)");
}

void require_netns() {
  if (geteuid() != 0) skip_test("partitions of ZooKeeper need network namespaces, which need root");
}

std::vector<std::pair<std::string, std::string>> zookeeper_options(std::vector<std::pair<std::string, std::string>> more) {
  std::vector<std::pair<std::string, std::string>> options = {
      {"--target", "zookeeper"}, {"--workload", "register"}, {"--values", "1000"}, {"--time-limit", "15"}};
  options.insert(options.end(), more.begin(), more.end());
  return options;
}

json linearizability_of(const TempStore& store, const std::string& name) {
  return read_json(store.path / name / "latest" / "results.json")["checkers"]["linearizability"];
}

}  // namespace

TEST_CASE("zookeeper: refused before anything starts when an option does not apply") {
  TempStore store;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--read-quorum", "2"}, "--read-quorum applies to --target bundled, not to --target zookeeper"},
      {{"--network", "proxy", "--nemesis", "partition"}, "--network proxy cannot cut the links of --target zookeeper"},
      {{"--zookeeper-reads", "sometimes"}, "--zookeeper-reads"},
      {{"--workload", "rw-register"}, "txn-write"},
  };
  for (const auto& [more, message] : cases) {
    std::vector<std::string> arguments = {"test", "--target", "zookeeper", "--store", store.path.string(), "--name", "bad"};
    arguments.insert(arguments.end(), more.begin(), more.end());
    Run run = run_faultline(arguments, store.path / "out.txt");
    INFO(run.output);
    CHECK(run.exit_code == 3);
    CHECK_THAT(run.output, Catch::Contains(message));
    CHECK_FALSE(fs::exists(store.path / "bad"));
  }
}

// Under kill and pause, sync reads are not always linearizable (suites/zookeeper.json found
// stale reads in 5 of 20 seeds: README), so this case asserts what must hold every time: the
// servers come back after every fault, the clients keep working, the history gets a verdict.
TEST_CASE("zookeeper: under kill and pause the servers come back, clients work, the history is checked") {
  require_zookeeper();
  TempStore store;
  Run run = run_faultline(test_arguments(store, "zk-kill", 1,
                                         zookeeper_options({{"--nemesis", "kill,pause"}, {"--nemesis-interval", "2"},
                                                            {"--zookeeper-reads", "sync"}})),
                          store.path / "out.txt");
  INFO(run.output);
  CHECK((run.exit_code == 0 || run.exit_code == 1));
  const json checked = linearizability_of(store, "zk-kill");
  CHECK(checked["valid"].is_boolean());
  const json history_faults = read_json(store.path / "zk-kill" / "latest" / "results.json")["checkers"]["availability"];
  CHECK(history_faults["windows_count"].get<int>() >= 2);
  const json results = read_json(store.path / "zk-kill" / "latest" / "results.json");
  CHECK(results["checkers"]["stats"]["ok_count"].get<int>() > 200);
  CHECK(processes_mentioning(store.path.string(), "QuorumPeerMain").empty());
}

TEST_CASE("zookeeper: a follower cut off from the leader answers plain reads from the past") {
  require_zookeeper();
  require_netns();
  TempStore store;
  Run run = run_faultline(test_arguments(store, "zk-plain", 1,
                                         zookeeper_options({{"--nemesis", "partition"}, {"--partition", "isolate"},
                                                            {"--nemesis-interval", "3"}, {"--time-limit", "20"}})),
                          store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 1);
  const json checked = linearizability_of(store, "zk-plain");
  CHECK(checked["valid"] == false);
  CHECK_THAT(checked.dump(), Catch::Contains("completed before read"));
  CHECK(processes_mentioning(store.path.string(), "QuorumPeerMain").empty());
}

TEST_CASE("zookeeper: with sync before every read, the same partitions leave reads linearizable") {
  require_zookeeper();
  require_netns();
  TempStore store;
  Run run = run_faultline(test_arguments(store, "zk-sync", 1,
                                         zookeeper_options({{"--nemesis", "partition"}, {"--partition", "isolate"},
                                                            {"--nemesis-interval", "3"}, {"--time-limit", "20"},
                                                            {"--zookeeper-reads", "sync"}})),
                          store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK(linearizability_of(store, "zk-sync")["valid"] == true);
}

TEST_CASE("zookeeper: interrupting a run under partitions leaves no JVM and no namespace") {
  require_zookeeper();
  require_netns();
  TempStore store;
  const fs::path out = store.path / "out.txt";
  const pid_t pid = spawn_faultline(
      test_arguments(store, "cut", 2,
                     zookeeper_options({{"--nemesis", "partition"}, {"--partition", "isolate"}, {"--nemesis-interval", "1"},
                                        {"--time-limit", "60"}})),
      out);
  const fs::path history = store.path / "cut" / "latest" / "history.jsonl";
  REQUIRE(wait_until([&] { return history_shows_partition(history); }, std::chrono::seconds(60)));
  kill(pid, SIGINT);
  const int exit_code = wait_exit_code(pid);
  INFO(read_text(out));
  CHECK((exit_code == 2 || exit_code == 1));
  CHECK(processes_mentioning(store.path.string(), "QuorumPeerMain").empty());
  CHECK(namespaces_of_run(pid).empty());
}

TEST_CASE("zookeeper: the lock recipe lets one holder at a time when nothing fails, and no update is lost") {
  require_zookeeper();
  TempStore store;
  Run run = run_faultline({"test", "--target", "zookeeper", "--workload", "lock", "--nemesis", "none", "--time-limit", "6",
                           "--seed", "1", "--store", store.path.string(), "--name", "lock"},
                          store.path / "lock.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  const json checkers = read_json(store.path / "lock" / "latest" / "results.json")["checkers"];
  CHECK(checkers["lock holders"]["sections"].get<int>() >= 20);
  CHECK(checkers["lock holders"]["overlapping_sections"] == 0);
  CHECK(checkers["set"]["valid"] == true);
  CHECK(checkers["set"]["lost_count"] == 0);
}

TEST_CASE("zookeeper: list-append transactions (gets, then one multi checking every version) stay strict serializable under partitions and kills") {
  require_zookeeper();
  require_netns();
  TempStore store;
  Run run = run_faultline({"test", "--target", "zookeeper", "--workload", "list-append", "--nemesis", "partition,kill",
                           "--nemesis-interval", "3", "--time-limit", "12", "--seed", "1", "--store", store.path.string(),
                           "--name", "txn"},
                          store.path / "txn.txt");
  INFO(run.output);
  const json results = read_json(store.path / "txn" / "latest" / "results.json");
  CHECK(results["checkers"]["list-append"]["valid"] == true);
  CHECK(results["checkers"]["stats"]["ok_count"].get<int>() >= 100);
  // What this case claims is the list-append verdict; whether the ensemble served again within
  // the recovery phase (the recovery checker) depends on the machine's load, so the exit code
  // may be 1 or 2 for that reason alone: it must be a verdict, not an error.
  CHECK(run.exit_code != 3);
}
