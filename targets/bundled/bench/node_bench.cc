// faultline-node-bench: throughput and latency of a 3-node faultline-node cluster on loopback,
// and, with --compare-etcd, of a 3-member etcd cluster driven by the same clients in the same run.
//
// Default: 16 clients (keep-alive connections, each to one node in turn), a third each of reads,
// writes and cas, on 1 key (every operation contends) and on 100 keys. Prints a Markdown table.
//
//   build/bin/faultline-node-bench [--seconds 5] [--clients 16] [--protocol paxos|quorum] [--no-fsync]
//
// --compare-etcd: both clusters stay up for the whole run; each (keys, operation) cell runs one
// kind of operation alone on all clients, faultline and etcd alternately, for --rounds rounds.
// Prints the per-measurement lines on stderr and a Markdown summary (medians, ratios) on stdout.
//
//   build/bin/faultline-node-bench --compare-etcd [--etcd-binary /usr/bin/etcd] [--rounds 3] [--seconds 4]
#include <curl/curl.h>

#include <cstdio>
#include <iostream>
#include <stdexcept>

#include <CLI/CLI.hpp>

#include "../tests/node_process.h"
#include "../tests/temp_dir.h"
#include "clusters.h"
#include "comparison.h"
#include "load.h"

using namespace faultline::bench;

namespace {

constexpr int exit_cluster_failed = 3;

// The original benchmark: a fresh faultline cluster per key count, a mix of all three operations.
int run_faultline_only(std::size_t clients, double seconds, const std::string& protocol, bool fsync,
                       const std::vector<std::string>& node_flags) {
  std::printf("| keys | op | ops | ok | 409 | failed | ops/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|---|---|\n");
  for (std::size_t keys : {1, 100}) {
    faultline::testing::TempDir dir;
    FaultlineCluster cluster(dir.path(), protocol, fsync, node_flags);
    auto samples = run_load({.system = System::faultline, .node_urls = cluster.urls(), .clients = clients, .keys = keys,
                             .only = std::nullopt, .seconds = seconds, .seed = 1, .on_clock_start = {}});
    for (auto& [operation, sample] : samples) {
      const std::size_t count = sample.latency_ms.size();
      std::printf("| %zu | %s | %zu | %zu | %zu | %zu | %.0f | %.2f | %.2f |\n", keys, operation_name(operation), count,
                  sample.ok, sample.conflict, sample.failed, static_cast<double>(count) / seconds,
                  percentile(sample.latency_ms, 0.50), percentile(sample.latency_ms, 0.99));
    }
    std::fflush(stdout);
  }
  return 0;
}

int run_comparison(std::size_t clients, double seconds, int rounds, const std::string& protocol, bool fsync,
                   const std::vector<std::string>& node_flags,
                   const std::string& etcd_binary) {
  faultline::testing::TempDir faultline_dir, etcd_dir;
  FaultlineCluster faultline(faultline_dir.path(), protocol, fsync, node_flags);
  EtcdCluster etcd(etcd_dir.path(), etcd_binary);
  std::cerr << "faultline (" << protocol << ", fsync " << (fsync ? "on" : "off") << ") at " << faultline.urls()[0]
            << "..., etcd " << etcd.version() << " at " << etcd.urls()[0] << "...\n";
  const std::vector<pid_t> faultline_pids = faultline.pids();
  if (faultline_pids.size() != cluster_size) std::cerr << "found " << faultline_pids.size() << " faultline node processes, not 3: CPU figures are off\n";
  std::vector<Measurement> measurements;
  for (const Step& step : comparison_schedule(rounds, {1, 100})) {
    LoadOptions options{.system = step.system,
                        .node_urls = step.system == System::faultline ? faultline.urls() : etcd.urls(),
                        .clients = clients,
                        .keys = step.keys,
                        .only = step.operation,
                        .seconds = seconds,
                        .seed = static_cast<std::uint64_t>(step.round),
                        .on_clock_start = {}};
    const auto fsyncs = [&] { return step.system == System::faultline ? faultline.fsyncs() : etcd.fsyncs(); };
    const std::vector<pid_t> pids = step.system == System::faultline ? faultline_pids : etcd.pids();
    std::uint64_t fsyncs_before = 0;
    double cpu_ms_before = 0;
    options.on_clock_start = [&] {
      fsyncs_before = fsyncs();
      cpu_ms_before = cpu_ms(pids);
    };
    auto samples = run_load(options);
    measurements.push_back(summarize(step, samples[step.operation], seconds, fsyncs() - fsyncs_before,
                                     cpu_ms(pids) - cpu_ms_before));
    std::cerr << describe(measurements.back()) << std::endl;
  }
  std::printf("faultline-node %s (fsync %s) vs etcd %s, %zu clients, %d rounds of %g s per cell.\n\n", protocol.c_str(),
              fsync ? "on" : "off", etcd.version().c_str(), clients, rounds, seconds);
  std::printf("%s", render_comparison(measurements).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Benchmark a 3-node faultline-node cluster on loopback, optionally against etcd", "faultline-node-bench"};
  double seconds = 5;
  std::size_t clients = 16;
  std::string protocol = "paxos";
  bool no_fsync = false, compare_etcd = false;
  std::string etcd_binary = "/usr/bin/etcd";
  int rounds = 3;
  app.add_option("--seconds", seconds, "measured seconds per key count (per cell with --compare-etcd)")->check(CLI::PositiveNumber);
  app.add_option("--clients", clients, "concurrent clients, each with a keep-alive connection")->check(CLI::PositiveNumber);
  app.add_option("--protocol", protocol, "paxos or quorum")->check(CLI::IsMember({"paxos", "quorum"}));
  app.add_flag("--no-fsync", no_fsync, "run the faultline nodes with --no-fsync");
  bool no_fast_path = false;
  app.add_flag("--no-fast-path", no_fast_path, "run the faultline nodes with --no-fast-path (two Paxos rounds always)");
  std::string proposers;
  app.add_option("--proposers", proposers, "run the faultline nodes with --proposers leader|every-node (default: theirs)")
      ->check(CLI::IsMember({"leader", "every-node"}));
  app.add_flag("--compare-etcd", compare_etcd, "also measure a 3-member etcd cluster, alternating with faultline");
  app.add_option("--etcd-binary", etcd_binary, "the etcd executable (Debian: etcd-server)")->check(CLI::ExistingFile);
  app.add_option("--rounds", rounds, "with --compare-etcd: measurements of each cell per system")->check(CLI::PositiveNumber);
  std::string node_binary;
  app.add_option("--node-binary", node_binary,
                 "the faultline-node executable to measure (default: the one this build made; an older build's "
                 "node compares a change)")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  if (!node_binary.empty()) faultline::testing::set_node_binary(node_binary);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  try {
    std::vector<std::string> node_flags;
    if (no_fast_path) node_flags.push_back("--no-fast-path");
    if (!proposers.empty()) node_flags.insert(node_flags.end(), {"--proposers", proposers});
    return compare_etcd ? run_comparison(clients, seconds, rounds, protocol, !no_fsync, node_flags, etcd_binary)
                        : run_faultline_only(clients, seconds, protocol, !no_fsync, node_flags);
  } catch (const std::runtime_error& error) {
    std::cerr << "faultline-node-bench: " << error.what() << "\n";
    return exit_cluster_failed;
  }
}
