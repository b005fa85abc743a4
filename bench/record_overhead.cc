// How many operations per second the controller's clients drive against the bundled cluster,
// and what recording the history costs: the same clients, alternately recording every
// invocation and completion to history.jsonl (as `faultline test` does) and not recording.
//   build/bin/faultline-bench-record [--seconds 5] [--rounds 3] [--clients 16] [--protocol quorum] [--no-fsync]
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "adapter/bundled_target.h"
#include "client_pool.h"
#include "history_recorder.h"
#include "run_clock.h"
#include "workload.h"

using namespace faultline;
namespace fs = std::filesystem;

namespace {

// Runs `clients` threads for `seconds`, each performing the workload's ops back to back;
// records them when `recorder` is given. Returns completed ops.
std::int64_t drive(Target& target, const Workload& workload, int clients, double seconds, HistoryRecorder* recorder) {
  std::atomic<std::int64_t> done{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  const std::vector<std::string> nodes = target.node_ids();
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      const std::string& node = nodes[static_cast<std::size_t>(c) % nodes.size()];
      auto client = target.client(node);
      auto generator = workload.generator();
      std::mt19937_64 random(static_cast<std::uint64_t>(c) + 1);
      std::int64_t process = c;
      while (!stop.load()) {
        const Invocation invocation = generator->next(random);
        if (recorder != nullptr) {
          if (ClientPool::perform_and_record(workload, *client, node, *recorder, process, invocation) == OpType::info)
            process += clients;
        } else {
          workload.perform(*client, invocation);
        }
        ++done;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));  // the measured interval itself
  stop = true;
  for (auto& thread : threads) thread.join();
  return done.load();
}

// The controller's own cost of recording one operation (its invocation and its completion),
// in microseconds, measured alone on one thread: a figure the machine's noise hardly moves.
double record_cost_us(const fs::path& directory) {
  constexpr int ops = 200'000;
  std::ofstream history(directory / "record-cost.jsonl");
  RunClock clock;
  HistoryRecorder recorder(history, [&clock] { return clock.now_ns(); });
  Op op;
  op.f = "cas";
  op.key = "k17";
  op.value = nlohmann::json::array({3, 4});
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < ops; ++i) {
    op.process = i % 16;
    op.type = OpType::invoke;
    recorder.record(op);
    op.type = OpType::ok;
    recorder.record(op);
  }
  recorder.flush();
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count() / ops;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  int rounds = 3, clients = 16;
  std::string protocol = "quorum";
  bool no_fsync = false;
  constexpr double warmup_s = 2;
  CLI::App app{"Throughput of the controller's clients with and without recording the history"};
  app.add_option("--seconds", seconds, "Seconds per measurement")->capture_default_str();
  app.add_option("--rounds", rounds, "Alternating rounds of (not recording, recording)")->capture_default_str();
  app.add_option("--clients", clients, "Concurrent clients")->capture_default_str();
  app.add_option("--protocol", protocol, "paxos or quorum")->capture_default_str();
  app.add_flag("--no-fsync", no_fsync, "Nodes skip fsync, so the controller is the bottleneck rather than the disk");
  CLI11_PARSE(app, argc, argv);

  const fs::path directory = fs::temp_directory_path() / ("faultline-bench-record-" + std::to_string(getpid()));
  fs::create_directories(directory / "nodes");
  BundledOptions options;
  options.protocol = protocol;
  options.fsync = !no_fsync;
  options.node_binary = fs::read_symlink("/proc/self/exe").parent_path() / "faultline-node";
  options.directory = directory;
  auto target = BundledTarget::create(options);
  if (!target || !(*target)->start_all()) {
    std::fprintf(stderr, "faultline-bench-record: the cluster did not start\n");
    fs::remove_all(directory);
    return 3;
  }
  WorkloadOptions workload_options;
  workload_options.name = "kv";
  workload_options.keys = 100;  // many keys: clients rarely wait for one another
  auto workload = make_workload(workload_options);

  // Untimed warm-up: connections, page cache, the nodes' thread pools.
  drive(**target, **workload, clients, warmup_s, nullptr);
  std::vector<double> plain, recorded;
  auto measure_plain = [&] {
    plain.push_back(static_cast<double>(drive(**target, **workload, clients, seconds, nullptr)) / seconds);
  };
  auto measure_recorded = [&] {
    std::ofstream history(directory / "history.jsonl");
    RunClock clock;
    HistoryRecorder recorder(history, [&clock] { return clock.now_ns(); });
    recorded.push_back(static_cast<double>(drive(**target, **workload, clients, seconds, &recorder)) / seconds);
  };
  for (int round = 0; round < rounds; ++round) {
    // A B, then B A: a drift in the machine's load favours neither.
    if (round % 2 == 0) {
      measure_plain();
      measure_recorded();
    } else {
      measure_recorded();
      measure_plain();
    }
    std::printf("round %d: not recording %.0f ops/s, recording %.0f ops/s\n", round + 1, plain.back(), recorded.back());
  }
  (*target)->stop_all();
  fs::remove_all(directory);
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  const double p = median(plain), r = median(recorded);
  std::printf("median: not recording %.0f ops/s, recording %.0f ops/s, overhead %.1f%%\n", p, r, 100 * (p - r) / p);
  const double cost_us = record_cost_us(fs::temp_directory_path());
  fs::remove(fs::temp_directory_path() / "record-cost.jsonl");
  // At throughput p with `clients` clients, one op takes clients / p seconds of a client's time.
  const double op_us = 1e6 * clients / p;
  std::printf("recording one op costs %.2f us of controller time, %.3f%% of the %.0f us an op takes here\n", cost_us,
              100 * cost_us / op_us, op_us);
  return 0;
}
