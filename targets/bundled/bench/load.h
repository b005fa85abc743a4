// The benchmark's clients: N threads, each with one keep-alive libcurl connection to one node
// (client i to node i mod the node count), issuing operations back to back for a fixed time
// and recording each one's latency and outcome. The same clients drive every system.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kv_api.h"

namespace faultline::bench {

// Bounds on one request; a request that runs out of time counts as failed.
inline constexpr long request_timeout_ms = 10'000;

struct LoadOptions {
  System system = System::faultline;
  std::vector<std::string> node_urls;     // "http://127.0.0.1:PORT"
  std::size_t clients = 16;
  std::size_t keys = 1;                   // keys k0 .. k{keys-1}, chosen uniformly
  std::optional<Operation> only;          // one kind of operation, or a third each of all three
  double seconds = 5;                     // measured time, after every client has connected
  std::uint64_t seed = 1;
  std::function<void()> on_clock_start;   // called once every client has connected, if set
};

struct Sample {
  std::vector<double> latency_ms;
  std::size_t ok = 0, conflict = 0, failed = 0;
};

// Runs the load; the first few failures of the run are printed to stderr.
std::map<Operation, Sample> run_load(const LoadOptions& options);

// The p-quantile (0..1) of `values`, which it sorts; 0 when empty.
double percentile(std::vector<double>& values, double p);

}  // namespace faultline::bench
