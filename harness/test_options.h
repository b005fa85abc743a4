// The configuration of one `faultline test` run: everything test.json records, seed
// included, so that a run can be reproduced and re-analyzed.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline {

struct TestOptions {
  // The system under test.
  std::string target = "bundled";
  std::string protocol = "paxos";      // paxos | quorum
  int nodes = 3;
  int write_quorum = 0;                // quorum: W; 0 = a majority
  int read_quorum = 0;                 // quorum: R; 0 = a majority
  std::string read_repair = "sync";    // quorum: off | async | sync (ABD)
  std::string timestamps = "lamport";  // quorum: lamport | wallclock
  std::string proposers = "leader";    // paxos: leader | every-node
  std::string bug;                     // a planted bug of the bundled node, or empty
  // The options of other targets (etcd_reads, ...), by test.json field: each target declares
  // its own (targets/adapter/target_kind.h). test.json holds them as top-level fields.
  nlohmann::json target_options = nlohmann::json::object();
  // What clients do.
  std::string workload = "register";   // register | kv | set
  int keys = 10;                       // kv: independent keys
  bool cas = true;                     // register, kv: false: reads and writes only
  std::string lock_fencing = "none";   // lock: none | token
  std::string consistency = "strict-serializable";  // list-append: the model the target claims
  int values = 5;                      // register, kv: writes and cas use 0..values-1
  int clients = 10;                    // concurrent logical processes
  double rate = 100;                   // operations per second, all clients together
  double time_limit_s = 30;            // warm-up + faults; recovery and final reads follow
  double request_timeout_s = 2;        // a client gives up on a request after this long: info
  // What goes wrong.
  std::vector<std::string> nemesis = {"kill", "pause"};  // kill, pause, partition, packet, clock, power-loss, corrupt
  double nemesis_interval_s = 5;
  // How many nodes may be faulty at once: minority (a majority stays up), majority or all
  // (the cluster goes down: what durability bugs need).
  std::string nemesis_targets = "minority";
  // How partitions and packet faults are made: proxy (user-space proxies on every link; no
  // root) or netns (network namespaces and iptables; root). Without those nemeses nodes talk
  // directly.
  // auto: proxy where the target's nodes can be proxied per link, else netns.
  std::string network = "auto";
  // --hosts: the hosts file of a cluster spread over several hosts reached over SSH (one node
  // per host; network faults are iptables rules there, and network is "hosts"); empty: this machine.
  std::string hosts;
  // The partition shapes drawn from: isolate, halves, majorities-ring, bridge, one-way.
  std::vector<std::string> partition_kinds = {"isolate", "halves", "majorities-ring", "bridge", "one-way"};
  // A grudge from the user, as JSON text ({"n2": ["n1"]}: n2 drops what n1 sends); empty: none.
  std::string partition_grudge;
  // The packet behaviours drawn from: delay, loss; empty: every one the network can do
  // (netns: loss only).
  std::vector<std::string> packet_behaviours;
  // Reproduction and storage.
  std::uint64_t seed = 0;
  std::string store = "store";
  std::string name;                    // default: <protocol>-<workload>
  double check_time_limit_s = 300;     // the linearizability search, per run
  // A replay (`faultline replay`): the run directory whose recorded faults this run applies at
  // their recorded times, instead of drawing them; empty: a run of its own.
  std::string replay_of;
  // A replay whose faults come from another history file (a schedule `faultline shrink` cut
  // down) instead of <replay_of>/history.jsonl; empty: the replayed run's own faults.
  std::string faults_from;
};

// Phase lengths derived from the options (in seconds).
struct RunPlan {
  double warmup_s;    // clients run, no faults yet
  double faults_s;    // clients run, the nemesis strikes
  double recovery_s;  // every fault repaired, clients go on: does the cluster serve again?
};
RunPlan plan_run(const TestOptions& options);

// The most nodes the nemesis may fault at once, from --nemesis-targets and --nodes.
int faulty_nodes_max(const TestOptions& options);

// Whether the nemesis includes `fault` ("partition", "clock", ...).
bool has_nemesis(const TestOptions& options, const std::string& fault);

// Whether the nemesis needs control of the links between nodes (partition, packet).
bool needs_network_control(const TestOptions& options);

// The packet behaviours the run draws from: --packet, or every one the network can do.
std::vector<std::string> packet_behaviours_drawn(const TestOptions& options);

// What is wrong with the options, said before anything starts; empty when nothing is.
std::string validate_test_options(const TestOptions& options);

nlohmann::json test_options_to_json(const TestOptions& options);
// Whether `field` is a field of test.json: one of the options above, or an option of any target.
bool is_test_option_field(const std::string& field);
std::expected<TestOptions, std::string> test_options_from_json(const nlohmann::json& json);

// The options a stored run recorded in <run_dir>/test.json; the error names the file and says
// what is wrong (missing: not a run directory).
std::expected<TestOptions, std::string> recorded_test_options(const std::string& run_dir);

// The command line that runs this configuration again: "faultline test --protocol paxos ...".
std::string reproduce_command(const TestOptions& options);

}  // namespace faultline
