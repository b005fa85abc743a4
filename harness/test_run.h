// One `faultline test`, end to end: check the options, make the run directory, start the
// target, run the clients and the nemesis through warm-up, faults, heal and a quiet
// recovery, read finally from every node, stop every node on every way out, then check the
// history and write results.json. Returns the process exit code (0 valid, 1 invalid,
// 2 unknown — an interrupted run is at best unknown —, 3 error in input or environment).
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string>

#include "test_options.h"
#include "workload.h"

namespace faultline {

class Target;
namespace proxy {
class NetworkLinks;
}

int run_test(TestOptions options, std::ostream& out, std::ostream& err);

// What a run drives: run_test makes them for real (the target's processes, the network
// backend); tests of the harness make them in memory.
struct RunParts {
  Target& target;
  // The network's links, asked for once the target has started (its nodes' proxies exist only
  // then); empty, or null from it: the network cannot be faulted.
  std::function<proxy::NetworkLinks*()> links;
  const Workload& workload;
  // Called once the nodes are stopped, before the history is checked and the report written
  // (--hosts: the nodes' logs and data come back here); empty: nothing to do.
  std::function<void()> nodes_stopped = {};
};

// The run itself, once its options are valid, its directory and test.json exist: starts the
// target, goes through warm-up, faults, heal, recovery and final reads, stops every node on
// every way out, checks the history, writes results.json, run_state.json and the report, and
// prints the verdict. Returns the exit code, as run_test.
int run_phases(const TestOptions& options, RunParts parts, const std::filesystem::path& run_dir, std::ostream& out,
               std::ostream& err);

// The workload part of a test's options (shared with `faultline analyze`).
WorkloadOptions workload_options(const TestOptions& options);

}  // namespace faultline
