// End to end: `faultline test` with the network and clock nemeses and real faultline-node
// processes; partitions on each network backend that can run here. Clients are bound to nodes
// as the harness binds them (process p is on node n((p mod clients) mod N + 1)), so the history
// says which side of a partition each operation was on.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "e2e_support.h"

using namespace faultline::e2e;

namespace {

// n3 cut off from n1 and n2, both ways: the only partition the nemesis starts.
const std::string isolate_n3 = R"({"n1": ["n3"], "n2": ["n3"], "n3": ["n1", "n2"]})";

std::vector<std::pair<std::string, std::string>> partition_options(const std::string& network) {
  // Partitions of 3 s, longer than a client's 2 s request timeout: a minority op caught by the
  // cut times out inside the window.
  return {{"--nemesis", "partition"}, {"--network", network}, {"--partition", "none"},
          {"--partition-grudge", isolate_n3}, {"--nemesis-interval", "3"}, {"--time-limit", "14"}};
}

struct Window {
  std::int64_t from_ns, to_ns;
};

// Client ops by side of the partition and outcome.
struct SideCounts {
  int ok = 0, fail = 0, info = 0;
};

std::vector<json> read_history(const fs::path& path) {
  std::vector<json> ops;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) ops.push_back(json::parse(line));
  return ops;
}

// From the moment each partition is in place (its info) to when its heal begins.
std::vector<Window> partition_windows(const std::vector<json>& history) {
  std::vector<Window> windows;
  std::int64_t started = -1;
  for (const json& op : history) {
    if (op["process"] != "nemesis") continue;
    if (op["f"] == "start-partition" && op["type"] == "info") started = op["time"];
    if (op["f"] == "stop-partition" && op["type"] == "invoke" && started >= 0) {
      windows.push_back({started, op["time"].get<std::int64_t>()});
      started = -1;
    }
  }
  return windows;
}

// Each behaviour runs on both network backends, as one case each: proxy always; netns where
// this runs as root (CI does), else the netns case is reported skipped, never passed.
void skip_netns_without_root() {
  if (geteuid() != 0) skip_test("--network netns needs root (network namespaces)");
}


std::string node_of(std::int64_t process) { return "n" + std::to_string(process % 10 % 3 + 1); }

}  // namespace

void check_majority_serves(const std::string& network) {
  TempStore store;
  Run run = run_faultline(test_arguments(store, "paxos-" + network, 4, partition_options(network)),
                          store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  const fs::path latest = store.path / ("paxos-" + network) / "latest";
  const json results = read_json(latest / "results.json");
  CHECK(results["checkers"]["linearizability"]["valid"] == true);

  const std::vector<json> history = read_history(latest / "history.jsonl");
  const std::vector<Window> windows = partition_windows(history);
  REQUIRE(windows.size() >= 2);
  std::int64_t last_heal_ns = 0;
  for (const json& op : history)
    if (op["process"] == "nemesis" && op["f"] == "stop-partition" && op["type"] == "info") last_heal_ns = op["time"];
  REQUIRE(last_heal_ns > 0);

  // Ops invoked and completed inside a window, by side; and ok ops of n3 after the last heal.
  std::map<std::string, SideCounts> inside;
  int n3_ok_after_heal = 0;
  std::map<std::int64_t, std::int64_t> invoked_ns;  // process -> time of its open invocation
  for (const json& op : history) {
    if (op["process"] == "nemesis" || op["process"] == "final") continue;
    if (!op["process"].is_number_integer()) continue;
    const std::int64_t process = op["process"];
    const std::int64_t time = op["time"];
    if (op["type"] == "invoke") {
      invoked_ns[process] = time;
      continue;
    }
    const std::int64_t began = invoked_ns[process];
    if (op["type"] == "ok" && node_of(process) == "n3" && began > last_heal_ns) ++n3_ok_after_heal;
    // ok: invoked and completed inside a window (held bytes may still complete an op
    // after the heal). fail and info: any op in flight during a window (one invoked just
    // before the cut times out inside it).
    for (const Window& w : windows) {
      SideCounts& side = inside[node_of(process) == "n3" ? "minority" : "majority"];
      if (op["type"] == "ok" && began >= w.from_ns && time <= w.to_ns) ++side.ok;
      if (began > w.to_ns || time < w.from_ns) continue;
      if (op["type"] == "fail") ++side.fail;
      else if (op["type"] == "info") ++side.info;
    }
  }
  INFO("majority ok " << inside["majority"].ok << ", minority ok " << inside["minority"].ok << " fail "
                      << inside["minority"].fail << " info " << inside["minority"].info
                      << "; n3 ok after the last heal " << n3_ok_after_heal);
  CHECK(inside["majority"].ok > 20);
  CHECK(inside["minority"].ok == 0);
  CHECK(inside["minority"].fail + inside["minority"].info > 0);
  CHECK(n3_ok_after_heal > 0);
  CHECK(processes_mentioning(store.path.string()).empty());
}

TEST_CASE("under a partition the majority serves Paxos, the cut-off minority cannot, and healing restores it (proxy)") {
  check_majority_serves("proxy");
}

TEST_CASE("under a partition the majority serves Paxos, the cut-off minority cannot, and healing restores it (netns)") {
  skip_netns_without_root();
  check_majority_serves("netns");
}

void check_quorum_r1w1_found(const std::string& network) {
  TempStore store;
  auto options = partition_options(network);
  for (auto [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--protocol", "quorum"}, {"--read-quorum", "1"}, {"--write-quorum", "1"}, {"--workload", "kv"},
           {"--keys", "20"}})
    options.emplace_back(option, value);
  std::vector<std::string> arguments = test_arguments(store, "quorum-" + network, 4, options);
  arguments.push_back("--no-cas");
  Run run = run_faultline(arguments, store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 1);
  const json results = read_json(store.path / ("quorum-" + network) / "latest" / "results.json");
  CHECK(results["checkers"]["linearizability"]["valid"] == false);
  CHECK(processes_mentioning(store.path.string()).empty());
}

TEST_CASE("quorum R=1 W=1 under a partition is found not linearizable (proxy)") {
  check_quorum_r1w1_found("proxy");
}

TEST_CASE("quorum R=1 W=1 under a partition is found not linearizable (netns)") {
  skip_netns_without_root();
  check_quorum_r1w1_found("netns");
}

void check_interrupted_partition_leaves_nothing(const std::string& network) {
  TempStore store;
  auto options = partition_options(network);
  options.emplace_back("--time-limit", "60");
  const fs::path out = store.path / "out.txt";
  const pid_t pid = spawn_faultline(test_arguments(store, "cut", 5, options), out);
  // Wait (bounded) until a partition is in place, then interrupt.
  const fs::path history = store.path / "cut" / "latest" / "history.jsonl";
  REQUIRE(wait_until([&] { return history_shows_partition(history); }, std::chrono::seconds(30)));
  kill(pid, SIGINT);
  const int exit_code = wait_exit_code(pid);
  INFO(read_text(out));
  CHECK((exit_code == 2 || exit_code == 1));
  CHECK(processes_mentioning(store.path.string()).empty());
  CHECK(namespaces_of_run(pid).empty());
  CHECK(read_json(store.path / "cut" / "latest" / "results.json")["interrupted"] == true);
}

TEST_CASE("a run interrupted during a partition leaves nothing behind (proxy)") {
  check_interrupted_partition_leaves_nothing("proxy");
}

TEST_CASE("a run interrupted during a partition leaves nothing behind (netns)") {
  skip_netns_without_root();
  check_interrupted_partition_leaves_nothing("netns");
}

TEST_CASE("clock skew loses writes under wall-clock timestamps, and not under Lamport timestamps") {
  TempStore store;
  for (const std::string timestamps : {"wallclock", "lamport"}) {
    std::vector<std::string> arguments =
        test_arguments(store, timestamps, 1,
                       {{"--timestamps", timestamps}, {"--protocol", "quorum"}, {"--workload", "kv"}, {"--keys", "10"},
                        {"--nemesis", "clock"}, {"--nemesis-interval", "1"}, {"--time-limit", "10"}});
    arguments.push_back("--no-cas");
    Run run = run_faultline(arguments, store.path / "out.txt");
    INFO(timestamps << "\n" << run.output);
    const json results = read_json(store.path / timestamps / "latest" / "results.json");
    // The nemesis really shifted clocks.
    CHECK(read_text(store.path / timestamps / "latest" / "history.jsonl").find(R"("type":"info","f":"clock-)") !=
          std::string::npos);
    if (timestamps == "wallclock") {
      CHECK(run.exit_code == 1);
      CHECK(results["checkers"]["linearizability"]["valid"] == false);
    } else {
      CHECK(run.exit_code == 0);
      CHECK(results["checkers"]["linearizability"]["valid"] == true);
    }
  }
}

TEST_CASE("faultline cleanup removes namespaces that a run which died left behind, and nothing else") {
  if (geteuid() != 0) skip_test("network namespaces need root");
  // A run that died: a child that has exited, so no process has its pid and start time.
  const pid_t child = fork();
  if (child == 0) _exit(0);
  REQUIRE(child > 0);
  waitpid(child, nullptr, 0);
  const std::string leftover = "faultline-" + std::to_string(child) + "-1-n1";
  const std::string foreign = "faultline-cleanup-test-not-a-run";
  for (const std::string& name : {leftover, foreign}) REQUIRE(std::system(("ip netns add " + name).c_str()) == 0);
  TempStore store;
  Run run = run_faultline({"cleanup"}, store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.output, Catch::Contains("removed network namespace " + leftover));
  CHECK_FALSE(fs::exists("/run/netns/" + leftover));
  CHECK(fs::exists("/run/netns/" + foreign));
  std::system(("ip netns delete " + foreign).c_str());
}
