// The harness's phases in process, against targets held in memory: no node process, no
// socket. Each run is about a second and a half (the recovery phase lasts at least 1 s).
// What is checked is what a run must do whatever the system: start it, strike and heal it,
// go on through recovery, read finally from every node, stop it on every way out, and write
// the truth into results.json and run_state.json.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>

#include <catch2/catch.hpp>

#include "adapter/target.h"
#include "command.h"
#include "run_state.h"
#include "test_run.h"
#include "workload.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// One register store for the whole cluster: every node answers from it, so the system is
// linearizable, unless `stale_node` answers reads from a copy that never changes, or the
// cluster stops serving for good once `broken_after_heal` has seen a restart.
struct MemoryCluster {
  std::mutex mutex;
  std::map<std::string, json> values;
  std::map<std::string, bool> down, paused;
  std::string stale_node;
  bool fail_to_start = false;
  bool broken_after_heal = false;
  bool restarted = false;
  std::atomic<int> stops{0}, kills{0}, restarts{0};
};

ClientOutcome outcome(OpType type, json value = nullptr, std::string error = "", std::string answer = "") {
  return {type, std::move(value), std::move(error), std::move(answer)};
}

class MemoryClient final : public KvClient {
 public:
  MemoryClient(MemoryCluster& cluster, std::string node) : cluster_(cluster), node_(std::move(node)) {}

  ClientOutcome read(const std::string& key) override {
    std::lock_guard lock(cluster_.mutex);
    if (auto refused = unavailable()) return *refused;
    if (node_ == cluster_.stale_node) return outcome(OpType::ok);
    auto it = cluster_.values.find(key);
    return outcome(OpType::ok, it == cluster_.values.end() ? json(nullptr) : it->second);
  }
  ClientOutcome write(const std::string& key, const json& value) override {
    std::lock_guard lock(cluster_.mutex);
    if (auto refused = unavailable()) return *refused;
    cluster_.values[key] = value;
    return outcome(OpType::ok);
  }
  ClientOutcome cas(const std::string& key, const json& from, const json& to) override {
    std::lock_guard lock(cluster_.mutex);
    if (auto refused = unavailable()) return *refused;
    auto it = cluster_.values.find(key);
    if (it == cluster_.values.end() || it->second != from) return outcome(OpType::fail, nullptr, "cas failed", "answered");
    it->second = to;
    return outcome(OpType::ok);
  }

 private:
  std::optional<ClientOutcome> unavailable() const {
    if (cluster_.down[node_] || cluster_.paused[node_] || (cluster_.broken_after_heal && cluster_.restarted))
      return outcome(OpType::fail, nullptr, "node down", "unreachable");
    return std::nullopt;
  }
  MemoryCluster& cluster_;
  std::string node_;
};

class MemoryTarget final : public Target {
 public:
  explicit MemoryTarget(MemoryCluster& cluster) : cluster_(cluster) {}
  std::vector<std::string> node_ids() const override { return {"n1", "n2", "n3"}; }
  TargetResult<void> start_all() override {
    if (cluster_.fail_to_start) return std::unexpected(TargetError{"n2 did not become healthy"});
    return {};
  }
  TargetResult<void> restart(const std::string& node) override {
    std::lock_guard lock(cluster_.mutex);
    cluster_.down[node] = false;
    cluster_.restarted = true;
    ++cluster_.restarts;
    return {};
  }
  void kill(const std::string& node) override {
    std::lock_guard lock(cluster_.mutex);
    cluster_.down[node] = true;
    ++cluster_.kills;
  }
  void pause(const std::string& node) override {
    std::lock_guard lock(cluster_.mutex);
    cluster_.paused[node] = true;
  }
  void resume(const std::string& node) override {
    std::lock_guard lock(cluster_.mutex);
    cluster_.paused[node] = false;
  }
  bool is_running(const std::string& node) const override {
    std::lock_guard lock(cluster_.mutex);
    return !cluster_.down[node];
  }
  void stop_all() noexcept override { ++cluster_.stops; }
  std::unique_ptr<KvClient> client(const std::string& node) const override {
    return std::make_unique<MemoryClient>(cluster_, node);
  }
  fs::path log_path(const std::string& node) const override { return "/dev/null/" + node; }
  json describe() const override { return {{"target", "memory"}}; }

 private:
  MemoryCluster& cluster_;
};

struct TempRunDir {
  fs::path path = fs::temp_directory_path() / ("faultline-phases-" + std::to_string(std::random_device{}()));
  TempRunDir() { fs::create_directories(path); }
  ~TempRunDir() { fs::remove_all(path); }
};

TestOptions short_run(const std::string& workload = "register") {
  TestOptions options;
  options.workload = workload;
  options.keys = 3;
  options.time_limit_s = 0.6;  // + the recovery phase's 1 s
  options.nemesis = {"kill"};
  options.nemesis_interval_s = 0.1;
  options.clients = 4;
  options.rate = 400;
  options.seed = 7;
  options.name = "memory";
  return options;
}

struct Ran {
  int exit_code;
  std::string output;
  json results;
  std::vector<json> history;
};

Ran run_in_memory(MemoryCluster& cluster, const TestOptions& options) {
  TempRunDir dir;
  MemoryTarget target(cluster);
  auto workload = make_workload(workload_options(options));
  REQUIRE(workload.has_value());
  std::ostringstream out, err;
  Ran ran;
  ran.exit_code = run_phases(options, RunParts{target, nullptr, **workload}, dir.path, out, err);
  ran.output = out.str() + err.str();
  std::ifstream results(dir.path / "results.json");
  if (results) ran.results = json::parse(results);
  std::ifstream history(dir.path / "history.jsonl");
  for (std::string line; std::getline(history, line);) ran.history.push_back(json::parse(line));
  ran.results["run_state"] = run_state_name(read_run_state(dir.path));
  return ran;
}

std::size_t count_ops(const std::vector<json>& history, const std::function<bool(const json&)>& matches) {
  return static_cast<std::size_t>(std::count_if(history.begin(), history.end(), matches));
}

}  // namespace

TEST_CASE("phases in memory: a linearizable system is struck, healed, served again, read from every node, stopped, valid") {
  MemoryCluster cluster;
  const Ran ran = run_in_memory(cluster, short_run("kv"));
  INFO(ran.output);
  CHECK(ran.exit_code == exit_valid);
  CHECK(ran.results["valid"] == true);
  CHECK(ran.results["run_state"] == "finished");
  CHECK(ran.results["checkers"]["linearizability"]["valid"] == true);
  CHECK(ran.results["checkers"]["convergence"]["valid"] == true);
  CHECK(ran.results["checkers"]["recovery"]["valid"] == true);
  // The nemesis struck and healed; every kill was followed by a restart.
  CHECK(cluster.kills > 0);
  CHECK(cluster.restarts == cluster.kills);
  CHECK(cluster.stops >= 1);
  // Final reads: each key read from each node, the invocation naming its node.
  for (const std::string node : {"n1", "n2", "n3"})
    CHECK(count_ops(ran.history, [&](const json& op) {
            return op["type"] == "invoke" && op["f"] == "read" && op.value("node", "") == node;
          }) >= 3);
}

TEST_CASE("phases in memory: a node that answers reads from a stale copy is found, invalid") {
  MemoryCluster cluster;
  cluster.stale_node = "n2";
  const Ran ran = run_in_memory(cluster, short_run("kv"));
  INFO(ran.output);
  CHECK(ran.exit_code == exit_invalid);
  CHECK(ran.results["checkers"]["linearizability"]["valid"] == false);
  CHECK(ran.results["checkers"]["convergence"]["valid"] == false);
}

TEST_CASE("phases in memory: a system that never serves again after the heal fails recovery") {
  MemoryCluster cluster;
  cluster.broken_after_heal = true;
  const Ran ran = run_in_memory(cluster, short_run());
  INFO(ran.output);
  CHECK(cluster.restarts > 0);
  CHECK(ran.results["checkers"]["recovery"]["valid"] == false);
  CHECK(ran.exit_code == exit_invalid);
}

TEST_CASE("phases in memory: a system that does not start ends not_started, with an empty history, and is stopped") {
  MemoryCluster cluster;
  cluster.fail_to_start = true;
  const Ran ran = run_in_memory(cluster, short_run());
  INFO(ran.output);
  CHECK(ran.exit_code == exit_input_error);
  CHECK(ran.results["run_state"] == "not_started");
  CHECK(ran.history.empty());
  CHECK(cluster.stops >= 1);
  CHECK(ran.output.find("n2 did not become healthy") != std::string::npos);
}

}  // namespace faultline
