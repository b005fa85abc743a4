// The extension point for systems under test (STYLE principle 15). A kind of target is one
// value that says which options it owns, checks them, says what it can do, and creates the
// Target for a run; the harness registers every kind in one place (harness/target_factory.cc)
// and refuses, before anything starts, a workload or nemesis the chosen target cannot serve
// and an option that belongs to another target.
//
// Options are JSON fields, as test.json, --options-file and suite `options` hold them, each
// with the command-line flag that sets it; a kind reads its own fields from
// TargetRequest::options (defaults filled in) and never sees another kind's.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapter_limits.h"
#include "node_placement.h"
#include "supervised_process.h"
#include "target.h"

namespace faultline {

// One option a target owns: test.json's field, the flag that sets it, what it means, its
// default (whose JSON type is the option's type: string, integer, number or boolean) and, for
// strings, the values allowed (empty: any).
struct TargetOptionSpec {
  std::string field;
  std::string flag;
  std::string help;
  nlohmann::json default_value;
  std::vector<std::string> allowed = {};
};

// What a target can do, declared before it starts.
struct TargetCapabilities {
  std::vector<std::string> operations;  // what its clients perform: read, write, cas, lock
  bool per_link_proxy = false;  // its nodes dial peer addresses we choose, so proxies can cut links
  std::string clock_unavailable_reason;  // empty: set_clock_offset works; else why not, for people
  // Its nodes keep their data in data/<id> of the run directory, which the harness can put on
  // faultline-lazyfs (TargetRequest::lazyfs_program), so --nemesis power-loss works.
  bool power_loss = false;
  // Its nodes' data directories are ones the harness knows (Target::corrupt_files works), so
  // --nemesis corrupt works.
  bool corrupt_files = false;
};

// A program a target's nodes run, for --hosts: faultline's own (uploaded to every host for the
// run) or one the hosts must have installed at that path (etcd from Debian's package).
struct HostProgram {
  std::filesystem::path path;
  bool uploaded = false;
};

// Everything a kind needs to create a run's target.
struct TargetRequest {
  int nodes = 3;
  nlohmann::json options = nlohmann::json::object();  // the kind's own fields, defaults filled in
  std::filesystem::path run_directory;                 // data/<id>/ and nodes/<id>.log go here
  NodePlacer place_nodes;                              // empty: plain loopback
  std::string network = "loopback";                    // the placer's name: loopback | proxy | netns
  std::filesystem::path programs_directory;            // where faultline and faultline-node are installed
  std::int64_t request_timeout_ms = faultline::request_timeout_ms;  // a client's patience per request
  bool clock_faults = false;  // the run shifts clocks: a target that needs to prepare for it does
  // --nemesis power-loss: faultline-lazyfs, to hold the nodes' data directories
  // (use_lazyfs_disks in local_cluster.h); empty: plain directories.
  std::filesystem::path lazyfs_program;
  // Where the nodes run (LocalClusterSpec::process_factory): empty, on this machine; with
  // --hosts, on the hosts over SSH. The target passes it on to its cluster.
  ProcessFactory process_factory;
};

class TargetKind {
 public:
  virtual ~TargetKind() = default;
  virtual std::string name() const = 0;  // "bundled", "etcd": the value of --target
  // One line for --help: what the target is.
  virtual std::string summary() const = 0;
  virtual std::vector<TargetOptionSpec> option_specs() const = 0;
  // What is wrong with the kind's options for `nodes` nodes, naming the flag; empty when nothing is.
  virtual std::string validate(const nlohmann::json& options, int nodes) const = 0;
  virtual TargetCapabilities capabilities(const nlohmann::json& options) const = 0;
  // The first part of a run's default name ("paxos" in paxos-register, "etcd" in etcd-set).
  virtual std::string run_name_prefix(const nlohmann::json& options) const = 0;
  // The options that apply to this configuration, all of them, as (label, value) rows for the
  // report and the store listing: a Paxos run shows no read quorum, a quorum run no proposers.
  virtual std::vector<std::pair<std::string, std::string>> configuration(const nlohmann::json& options) const = 0;
  // Creates the target (starts nothing). Errors: the environment cannot run it (a binary is
  // missing, a directory cannot be created), said for the user.
  virtual TargetResult<std::unique_ptr<Target>> create(const TargetRequest& request) const = 0;
  // With --hosts (one node per host, reached over SSH): the programs its nodes run there; every
  // path its nodes are given must lie in the run directory. Empty: it cannot run on hosts.
  virtual std::vector<HostProgram> host_programs(const nlohmann::json& options,
                                                 const std::filesystem::path& programs_directory) const {
    (void)options, (void)programs_directory;
    return {};
  }
};

// `options` with every spec's default filled in where the field is missing.
inline nlohmann::json with_defaults(const std::vector<TargetOptionSpec>& specs, nlohmann::json options) {
  if (!options.is_object()) options = nlohmann::json::object();
  for (const TargetOptionSpec& spec : specs)
    if (!options.contains(spec.field)) options[spec.field] = spec.default_value;
  return options;
}

}  // namespace faultline
