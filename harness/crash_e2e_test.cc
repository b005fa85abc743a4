// End to end: the controller killed with SIGKILL at random moments of a run (issue 21, item 5).
// Where this machine can mount faultline-lazyfs, power losses are among the faults.
// After each kill: no node process of the run survives (they die with the controller,
// PR_SET_PDEATHSIG), the history on disk is analyzable (`faultline analyze` comes to a verdict,
// or says the run never started), and the next run's sweep (here `faultline cleanup`) removes
// the network namespaces and the faultline-lazyfs mounts it left. FAULTLINE_CRASH_TRIALS sets how many trials (default 3: the
// CI variant; bench/controller_crash.sh runs 100 and writes its figures to BENCHMARKS.md).
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

#include <catch2/catch.hpp>

#include "adapter/lazyfs_mount.h"
#include "e2e_support.h"

using namespace faultline::e2e;

TEST_CASE("controller killed with SIGKILL at random moments: no node survives, the history is analyzable, the sweep removes its namespaces") {
  const char* trials_text = std::getenv("FAULTLINE_CRASH_TRIALS");
  const int trials = trials_text != nullptr ? std::atoi(trials_text) : 3;
  const bool netns = geteuid() == 0;  // partitions through namespaces need root; else the link proxies
  const bool power = faultline::lazyfs_unavailable_reason().empty();
  TempStore store;
  std::mt19937_64 random(20261206);
  int analyzed = 0, not_started = 0, nothing_on_disk = 0;
  for (int trial = 1; trial <= trials; ++trial) {
    const std::string name = "crash" + std::to_string(trial);
    auto arguments = test_arguments(store, name, static_cast<std::uint64_t>(trial),
                                    {{"--nemesis", power ? "kill,pause,partition,power-loss" : "kill,pause,partition"}, {"--time-limit", "6"},
                                     {"--nemesis-interval", "0.7"}, {"--network", netns ? "netns" : "proxy"}});
    const pid_t pid = spawn_faultline(arguments, store.path / (name + ".txt"));
    // A moment from start-up to the final reads: 0.2-9 s.
    std::this_thread::sleep_for(std::chrono::milliseconds(200 + random() % 8800));
    kill(pid, SIGKILL);
    wait_exit_code(pid);
    INFO("trial " << trial << "\n" << read_text(store.path / (name + ".txt")));
    CHECK(wait_until([&] { return processes_mentioning(store.path.string()).empty(); }, std::chrono::seconds(10)));
    const fs::path run = store.path / name / "latest";
    if (!fs::exists(run / "history.jsonl")) {
      ++nothing_on_disk;  // killed before the run directory was made
    } else {
      Run analysis = run_faultline({"analyze", run.string()}, store.path / (name + "-analyze.txt"));
      INFO(analysis.output);
      const bool came_to_verdict = analysis.exit_code >= 0 && analysis.exit_code <= 2;
      const bool never_started = analysis.exit_code == 3 && analysis.output.find("not_started") != std::string::npos;
      CHECK((came_to_verdict || never_started));
      analyzed += came_to_verdict;
      not_started += never_started;
    }
    if (netns || power) {
      Run cleanup = run_faultline({"cleanup"}, store.path / (name + "-cleanup.txt"));
      CHECK(cleanup.exit_code == 0);
      CHECK(namespaces_of_run(pid).empty());
      const std::string mounts = read_text("/proc/mounts");
      CHECK(mounts.find(store.path.string()) == std::string::npos);
      CHECK(processes_mentioning(store.path.string(), "faultline-lazyfs").empty());
    }
  }
  std::cout << "controller crash: " << trials << " trials (" << (netns ? "netns" : "proxy")
            << (power ? ", power loss" : "") << "): " << analyzed
            << " histories analyzed to a verdict, " << not_started << " runs that never started, " << nothing_on_disk
            << " killed before the run directory existed\n";
}
