// End to end: --nemesis power-loss on the bundled Paxos node. The planted bug paxos-skip-fsync
// (acceptor state written, never fsynced) loses acknowledged adds when the whole cluster loses
// power; the correct node stays valid under the same faults. Every run leaves no faultline-lazyfs
// mount and no daemon behind. Needs root and /dev/fuse, else skipped. The figures over many
// seeds are in BENCHMARKS.md (bench/power_loss.sh).
#include <catch2/catch.hpp>

#include "adapter/lazyfs_mount.h"
#include "e2e_support.h"

using namespace faultline::e2e;

namespace {

void skip_unless_mountable() {
  if (std::string reason = faultline::lazyfs_unavailable_reason(); !reason.empty()) skip_test(reason);
}

// A store whose leftover mounts (a failed run's) are detached before it is removed.
struct MountSafeStore {
  TempStore store;
  ~MountSafeStore() { faultline::sweep_dead_lazyfs_mounts(store.path); }
};

std::size_t power_losses(const fs::path& history) {
  std::size_t count = 0;
  std::ifstream in(history);
  for (std::string line; std::getline(in, line);) {
    const json op = json::parse(line);
    count += op["process"] == "nemesis" && op["type"] == "info" && op["f"] == "power-loss" && !op.contains("error");
  }
  return count;
}

// The whole cluster may lose power at once; a fault every second. `bug` empty: the correct node.
std::vector<std::pair<std::string, std::string>> power_loss_run(const std::string& bug) {
  std::vector<std::pair<std::string, std::string>> options = {
      {"--workload", "set"},         {"--nemesis", "power-loss"}, {"--nemesis-targets", "all"},
      {"--nemesis-interval", "1"},   {"--time-limit", "12"},      {"--rate", "100"}};
  if (!bug.empty()) options.emplace_back("--bug", bug);
  return options;
}

// Runs seed 1 under power loss as run `name`; checks that power was lost and nothing of the
// run stays mounted or running; returns the run (exit code, output) and its directory.
std::pair<Run, fs::path> run_power_loss(const MountSafeStore& safe, const std::string& name, const std::string& bug) {
  const Run run = run_faultline(test_arguments(safe.store, name, 1, power_loss_run(bug)), safe.store.path / (name + ".txt"));
  INFO(run.output);
  const fs::path latest = fs::canonical(safe.store.path / name / "latest");
  CHECK(power_losses(latest / "history.jsonl") >= 3);
  CHECK(faultline::sweep_dead_lazyfs_mounts(safe.store.path).removed.empty());
  CHECK(processes_mentioning((safe.store.path / name).string(), "faultline-lazyfs").empty());
  return {run, latest};
}

}  // namespace

TEST_CASE("power loss: paxos-skip-fsync loses acknowledged adds, and nothing stays mounted") {
  skip_unless_mountable();
  MountSafeStore safe;
  // Seed 1 loses adds (bench/power_loss.sh measures the seeds).
  const auto [run, directory] = run_power_loss(safe, "skip-fsync", "paxos-skip-fsync");
  INFO(run.output);
  CHECK(run.exit_code == 1);
  CHECK(read_json(directory / "results.json")["checkers"]["set"]["lost_count"].get<int>() > 0);
}

TEST_CASE("power loss: the correct node keeps every acknowledged add") {
  skip_unless_mountable();
  MountSafeStore safe;
  const Run run = run_power_loss(safe, "correct", "").first;
  INFO(run.output);
  CHECK(run.exit_code == 0);
}
