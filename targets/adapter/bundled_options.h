// How to run the bundled target (targets/bundled: faultline-node): the options a user gives,
// their validation, and the command line of each node. Pure: no processes, no files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapter_limits.h"
#include "node_placement.h"
#include "supervised_process.h"

namespace faultline {

// faultline-node's exit code when it cannot bind its --listen address (node/options.h).
inline constexpr int node_exit_cannot_listen = 4;

struct BundledOptions {
  int nodes = 3;
  std::string protocol = "paxos";          // paxos | quorum
  std::optional<int> write_quorum;         // quorum only; default: a majority
  std::optional<int> read_quorum;          // quorum only; default: a majority
  std::optional<std::string> read_repair;  // quorum only: off | async | sync (node default sync)
  std::optional<std::string> timestamps;   // quorum only: lamport | wallclock (node default lamport)
  std::optional<std::string> proposers;    // paxos only: leader | every-node (node default leader)
  std::string bug;                         // empty: none; else a name from targets/bundled/bugs.h
  bool fsync = true;                       // false: --no-fsync (benchmarks of the controller only)
  std::filesystem::path node_binary;       // faultline-node
  std::filesystem::path directory;         // data/<id>/ and nodes/<id>.log go here
  std::vector<std::uint16_t> ports;        // one per node; empty: free loopback ports are chosen
  // Where the nodes sit on the network once their ports are known; empty: plain loopback.
  NodePlacer place_nodes;
  std::string network = "loopback";       // the placer's name, for test.json: loopback | proxy | netns
  std::int64_t request_timeout_ms = faultline::request_timeout_ms;  // clients' patience
  // The power-loss nemesis: faultline-lazyfs, which holds data/<id> (local_cluster.h); empty: plain directories.
  std::filesystem::path lazyfs_program;
  ProcessFactory process_factory;  // where the nodes run; empty: here (local_cluster.h)
};

// What is wrong with `options`, for the user (names the option and the value); empty when
// they are usable. Checks no files: a missing binary is found by start_all.
std::string validate_bundled_options(const BundledOptions& options);

// "n1".."nN".
std::vector<std::string> bundled_node_ids(int nodes);

// The command line of node `index` (0-based) of a cluster placed as `placements` (one per node),
// without the placement's launch prefix.
std::vector<std::string> bundled_node_arguments(const BundledOptions& options, std::size_t index,
                                                const std::vector<NodePlacement>& placements);

// The configuration as it is recorded in test.json: {"target": "bundled", ...}, with the
// quorum defaults filled in.
nlohmann::json describe_bundled_options(const BundledOptions& options, const std::vector<NodePlacement>& placements);

}  // namespace faultline
