// What each network backend costs a run, for BENCHMARKS.md: the same 3-node cluster (quorum
// R=W=2, fsync off, so that the network rather than the disk is what differs) placed directly
// on loopback, behind the per-link proxies, and in network namespaces (root only):
// - request latency: one client's sequential writes, p50 / p99, and the difference to loopback;
// - throughput: 16 clients back to back on 100 keys;
// - apply / heal: how long cutting one link and healing every link take (the partition
//   nemesis's actions), p50 / p99.
// Networks are measured in alternating order (A B C, then C B A, ...) so a drift in the
// machine's load favours none.
//   build/bin/faultline-bench-network [--rounds 3] [--ops 1000] [--seconds 3] [--control-rounds 50]
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "adapter/bundled_target.h"
#include "cluster_network.h"

using namespace faultline;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double micros(Clock::duration duration) { return std::chrono::duration<double, std::micro>(duration).count(); }

double quantile(std::vector<double> samples, double q) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * static_cast<double>(samples.size())))];
}

struct Measurement {
  std::vector<double> write_us, apply_us, heal_us;
  std::vector<double> ops_per_s;
};

// Starts the cluster on `network`, measures, stops it. False when it did not start.
bool measure(const std::string& network_kind, int ops, double seconds, int control_rounds, Measurement& into) {
  const fs::path directory =
      fs::temp_directory_path() / ("faultline-bench-network-" + std::to_string(getpid()) + "-" + network_kind);
  fs::create_directories(directory / "nodes");
  bool started = false;
  {
    auto network = make_cluster_network(network_kind, 1, std::cerr);
    if (!network) {
      std::fprintf(stderr, "%s: %s\n", network_kind.c_str(), network.error().c_str());
      fs::remove_all(directory);
      return false;
    }
    BundledOptions options;
    options.protocol = "quorum";
    options.fsync = false;
    options.node_binary = fs::read_symlink("/proc/self/exe").parent_path() / "faultline-node";
    options.directory = directory;
    options.place_nodes = (*network)->placer();
    options.network = (*network)->name();
    auto target = BundledTarget::create(options);
    if (target && (*target)->start_all()) {
      started = true;
      Target& cluster = **target;
      auto client = cluster.client("n1");
      for (int i = 0; i < 200; ++i) client->write("warm", i);  // connections, thread pools
      for (int i = 0; i < ops; ++i) {
        const auto t0 = Clock::now();
        client->write("k" + std::to_string(i % 100), i);
        into.write_us.push_back(micros(Clock::now() - t0));
      }
      std::atomic<std::int64_t> done{0};
      std::atomic<bool> stop{false};
      std::vector<std::thread> clients;
      const std::vector<std::string> nodes = cluster.node_ids();
      for (int c = 0; c < 16; ++c)
        clients.emplace_back([&, c] {
          auto own = cluster.client(nodes[static_cast<std::size_t>(c) % nodes.size()]);
          for (int i = 0; !stop.load(); ++i) {
            own->write("k" + std::to_string((c * 7 + i) % 100), i);
            ++done;
          }
        });
      std::this_thread::sleep_for(std::chrono::duration<double>(seconds));  // the measured interval itself
      stop = true;
      for (auto& thread : clients) thread.join();
      into.ops_per_s.push_back(static_cast<double>(done.load()) / seconds);
      if (proxy::NetworkLinks* links = (*network)->links()) {
        proxy::LinkState cut;
        cut.cut = true;
        for (int i = 0; i < control_rounds; ++i) {
          auto t0 = Clock::now();
          links->set_link_states({{"n1", "n2", cut}});
          into.apply_us.push_back(micros(Clock::now() - t0));
          t0 = Clock::now();
          links->heal_all();
          into.heal_us.push_back(micros(Clock::now() - t0));
        }
      }
      cluster.stop_all();
    }
  }
  fs::remove_all(directory);
  return started;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 3, ops = 1000, control_rounds = 50;
  double seconds = 3;
  CLI::App app{"Latency, throughput and fault apply/heal time of each network backend"};
  app.add_option("--rounds", rounds, "Rounds over all networks, in alternating order")->capture_default_str();
  app.add_option("--ops", ops, "Sequential writes timed per network and round")->capture_default_str();
  app.add_option("--seconds", seconds, "Seconds of 16 clients per network and round")->capture_default_str();
  app.add_option("--control-rounds", control_rounds, "Cut-and-heal rounds per network and round")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> networks = {"loopback", "proxy"};
  if (geteuid() == 0) networks.push_back("netns");
  else std::fprintf(stderr, "not root: netns is not measured\n");
  std::map<std::string, Measurement> results;
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::string> order = networks;
    if (round % 2 == 1) std::reverse(order.begin(), order.end());
    for (const std::string& network : order) {
      if (!measure(network, ops, seconds, control_rounds, results[network])) {
        std::fprintf(stderr, "%s: the cluster did not start\n", network.c_str());
        return 3;
      }
      std::fprintf(stderr, "round %d: %s done\n", round + 1, network.c_str());
    }
  }
  const double base_p50 = quantile(results["loopback"].write_us, 0.5);
  const double base_p99 = quantile(results["loopback"].write_us, 0.99);
  const double base_rate = quantile(results["loopback"].ops_per_s, 0.5);
  for (const std::string& network : networks) {
    const Measurement& m = results[network];
    const double p50 = quantile(m.write_us, 0.5), p99 = quantile(m.write_us, 0.99);
    const double rate = quantile(m.ops_per_s, 0.5);
    std::printf("network %s: write p50 %.0f us p99 %.0f us (added p50 %+.0f us p99 %+.0f us); 16 clients %.0f ops/s "
                "(%.0f%% of loopback)",
                network.c_str(), p50, p99, p50 - base_p50, p99 - base_p99, rate, 100 * rate / base_rate);
    if (!m.apply_us.empty())
      std::printf("; cut one link p50 %.0f us p99 %.0f us; heal p50 %.0f us p99 %.0f us", quantile(m.apply_us, 0.5),
                  quantile(m.apply_us, 0.99), quantile(m.heal_us, 0.5), quantile(m.heal_us, 0.99));
    std::printf("\n");
  }
  return 0;
}
