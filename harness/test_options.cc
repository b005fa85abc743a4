#include "test_options.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapter/bundled_options.h"
#include "adapter/adapter_limits.h"
#include "packet_planner.h"
#include "partition_planner.h"
#include "target_factory.h"

namespace faultline {
namespace {

constexpr double warmup_s_max = 5;
constexpr double warmup_share = 0.2;  // of the time limit, for short runs
constexpr double recovery_s_max = 5;
constexpr double recovery_share = 0.2;  // of the time limit, for short runs
constexpr double recovery_s_min = 1;
constexpr int nodes_max = 9;
constexpr int clients_max = 1000;
// Longer than the bundled node works on one operation (15 s) would leave its answer unread.
constexpr double request_timeout_s_max = 14;

const std::vector<std::string> protocols = {"paxos", "quorum"};
const std::vector<std::string> read_repairs = {"off", "async", "sync"};
const std::vector<std::string> proposer_kinds = {"leader", "every-node"};
const std::vector<std::string> timestamp_kinds = {"lamport", "wallclock"};
const std::vector<std::string> nemeses = {"kill", "pause", "partition", "packet", "clock", "power-loss", "corrupt"};
const std::vector<std::string> networks = {"auto", "proxy", "netns"};

// The names the planners spell (nemesis/partition_planner.h, packet_planner.h).
template <typename Kind, std::size_t N>
std::vector<std::string> names_of(const Kind (&kinds)[N], std::string_view (*name)(Kind)) {
  std::vector<std::string> names;
  for (Kind kind : kinds) names.emplace_back(name(kind));
  return names;
}
const std::vector<std::string> packet_behaviours = names_of(packet_behaviours_all, packet_behaviour_name);
const std::vector<std::string> drawn_partition_names = names_of(drawn_partition_kinds, partition_kind_name);
const std::vector<std::string> nemesis_target_kinds = {"minority", "majority", "all"};

bool one_of(const std::string& value, const std::vector<std::string>& allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& v : values) text += (text.empty() ? "" : ", ") + v;
  return text;
}

}  // namespace

RunPlan plan_run(const TestOptions& options) {
  const double warmup = std::min(warmup_s_max, options.time_limit_s * warmup_share);
  const double recovery = std::clamp(options.time_limit_s * recovery_share, recovery_s_min, recovery_s_max);
  return RunPlan{warmup, options.time_limit_s - warmup, recovery};
}

int faulty_nodes_max(const TestOptions& options) {
  const int n = options.nodes;
  if (options.nemesis_targets == "all") return n;
  if (options.nemesis_targets == "majority") return std::min(n, n / 2 + 1);
  return std::max(1, (n - 1) / 2);
}

bool has_nemesis(const TestOptions& options, const std::string& fault) {
  return one_of(fault, options.nemesis);
}

bool needs_network_control(const TestOptions& options) {
  return has_nemesis(options, "partition") || has_nemesis(options, "packet");
}

std::vector<std::string> packet_behaviours_drawn(const TestOptions& options) {
  if (!options.packet_behaviours.empty()) return options.packet_behaviours;
  if (options.network == "netns" || options.network == "hosts")  // iptables, no netem: no delay
    return {std::string(packet_behaviour_name(PacketBehaviour::loss))};
  return packet_behaviours;
}

std::string validate_test_options(const TestOptions& o) {
  if (o.nodes < 1 || o.nodes > nodes_max)
    return "--nodes: expected 1 to " + std::to_string(nodes_max) + ", got " + std::to_string(o.nodes);
  // The bundled target's own options (the bundled kind checks them again, with the node's rules).
  if (o.target == "bundled") {
    if (!one_of(o.protocol, protocols)) return "--protocol: expected one of " + joined(protocols) + ", got '" + o.protocol + "'";
    if (o.write_quorum < 0 || o.write_quorum > o.nodes)
      return "--write-quorum: W must be between 1 and the number of nodes (" + std::to_string(o.nodes) + "), got " +
             std::to_string(o.write_quorum);
    if (o.read_quorum < 0 || o.read_quorum > o.nodes)
      return "--read-quorum: R must be between 1 and the number of nodes (" + std::to_string(o.nodes) + "), got " +
             std::to_string(o.read_quorum);
    if (!one_of(o.read_repair, read_repairs)) return "--read-repair: expected one of " + joined(read_repairs);
    if (!one_of(o.timestamps, timestamp_kinds)) return "--timestamps: expected one of " + joined(timestamp_kinds);
    if (!one_of(o.proposers, proposer_kinds))
      return "--proposers: expected one of " + joined(proposer_kinds) + ", got '" + o.proposers + "'";
    if (o.protocol == "paxos" && (o.write_quorum != 0 || o.read_quorum != 0))
      return "--write-quorum and --read-quorum apply to --protocol quorum; Paxos always uses majorities";
  }
  if (o.clients < 1 || o.clients > clients_max)
    return "--clients: expected 1 to " + std::to_string(clients_max) + ", got " + std::to_string(o.clients);
  if (!(o.rate > 0)) return "--rate: operations per second must be positive";
  if (!(o.time_limit_s > 0)) return "--time-limit: seconds must be positive";
  if (!(o.request_timeout_s * 1000 > connect_timeout_ms && o.request_timeout_s <= request_timeout_s_max))
    return "--request-timeout: expected more than " + std::to_string(connect_timeout_ms) + " ms (the connect timeout) and at most " +
           std::to_string(static_cast<int>(request_timeout_s_max)) + " s";
  if (!(o.nemesis_interval_s > 0)) return "--nemesis-interval: seconds must be positive";
  if (o.keys < 1) return "--keys: expected at least 1";
  for (const std::string& n : o.nemesis)
    if (!one_of(n, nemeses) && n != "none") return "--nemesis: unknown fault '" + n + "' (known: " + joined(nemeses) + ", none)";
  if (!one_of(o.nemesis_targets, nemesis_target_kinds))
    return "--nemesis-targets: expected one of " + joined(nemesis_target_kinds) + ", got '" + o.nemesis_targets + "'";
  if (!o.hosts.empty() && o.network != "hosts")
    return "--network does not apply with --hosts: network faults are iptables rules on the hosts";
  if (o.hosts.empty() && !one_of(o.network, networks))
    return "--network: expected one of " + joined(networks) + ", got '" + o.network + "'";
  for (const std::string& kind : o.partition_kinds)
    if (!one_of(kind, drawn_partition_names))
      return "--partition: unknown shape '" + kind + "' (known: " + joined(drawn_partition_names) + ")";
  if (!o.partition_grudge.empty()) {
    const nlohmann::json grudge = nlohmann::json::parse(o.partition_grudge, nullptr, false);
    if (grudge.is_discarded()) return "--partition-grudge: not JSON: " + o.partition_grudge;
    if (auto parsed = parse_grudge(grudge, bundled_node_ids(o.nodes)); !parsed)
      return "--partition-grudge: " + parsed.error();
  }
  for (const std::string& behaviour : o.packet_behaviours)
    if (!one_of(behaviour, packet_behaviours))
      return "--packet: unknown behaviour '" + behaviour + "' (known: " + joined(packet_behaviours) + ")";
  if (has_nemesis(o, "packet")) {
    if (o.nodes < 2) return "--nemesis packet needs at least 2 nodes";
    if (o.network == "hosts" && one_of("delay", o.packet_behaviours))
      return "--packet delay cannot be done on --hosts (faults there are iptables rules; no netem): use --packet loss";
    if (o.network == "netns" && one_of("delay", o.packet_behaviours))
      return "--packet delay needs --network proxy: the netns backend cannot delay packets (this kernel has no netem "
             "qdisc); use --packet loss";
  }
  if (has_nemesis(o, "partition")) {
    if (o.nodes < 2) return "--nemesis partition needs at least 2 nodes";
    if (o.partition_kinds.empty() && o.partition_grudge.empty())
      return "--nemesis partition: give at least one shape (--partition) or a grudge (--partition-grudge)";
    if (o.nodes < 3 && std::all_of(o.partition_kinds.begin(), o.partition_kinds.end(), [](const std::string& kind) {
          return kind == "majorities-ring" || kind == "bridge";
        }) && o.partition_grudge.empty())
      return "--partition: majorities-ring and bridge need at least 3 nodes";
  }
  if (!(o.check_time_limit_s > 0)) return "--check-time-limit: seconds must be positive";
  return "";
}

nlohmann::json test_options_to_json(const TestOptions& o) {
  nlohmann::json j = {{"target", o.target},         {"protocol", o.protocol},     {"nodes", o.nodes},
          {"write_quorum", o.write_quorum}, {"read_quorum", o.read_quorum}, {"read_repair", o.read_repair},
          {"timestamps", o.timestamps}, {"proposers", o.proposers}, {"bug", o.bug},               {"workload", o.workload},
          {"keys", o.keys},             {"cas", o.cas}, {"lock_fencing", o.lock_fencing}, {"consistency", o.consistency},             {"values", o.values},             {"clients", o.clients},       {"rate", o.rate},
          {"time_limit_s", o.time_limit_s}, {"request_timeout_s", o.request_timeout_s}, {"nemesis", o.nemesis},   {"nemesis_interval_s", o.nemesis_interval_s},
          {"nemesis_targets", o.nemesis_targets}, {"network", o.network}, {"hosts", o.hosts},
          {"partition_kinds", o.partition_kinds}, {"partition_grudge", o.partition_grudge},
          {"packet_behaviours", o.packet_behaviours},
          {"seed", o.seed},             {"store", o.store},           {"name", o.name},
          {"check_time_limit_s", o.check_time_limit_s}, {"replay_of", o.replay_of}, {"faults_from", o.faults_from}};
  for (const auto& [field, value] : o.target_options.items()) j[field] = value;
  return j;
}

std::expected<TestOptions, std::string> test_options_from_json(const nlohmann::json& j) {
  TestOptions o;
  try {
    o.target = j.value("target", o.target);
    o.protocol = j.value("protocol", o.protocol);
    o.nodes = j.value("nodes", o.nodes);
    o.write_quorum = j.value("write_quorum", o.write_quorum);
    o.read_quorum = j.value("read_quorum", o.read_quorum);
    o.read_repair = j.value("read_repair", o.read_repair);
    o.timestamps = j.value("timestamps", o.timestamps);
    o.proposers = j.value("proposers", o.proposers);
    o.bug = j.value("bug", o.bug);
    o.workload = j.value("workload", o.workload);
    o.keys = j.value("keys", o.keys);
    o.values = j.value("values", o.values);
    o.cas = j.value("cas", o.cas);
    o.lock_fencing = j.value("lock_fencing", o.lock_fencing);
    o.consistency = j.value("consistency", o.consistency);
    o.clients = j.value("clients", o.clients);
    o.rate = j.value("rate", o.rate);
    o.time_limit_s = j.value("time_limit_s", o.time_limit_s);
    o.request_timeout_s = j.value("request_timeout_s", o.request_timeout_s);
    o.nemesis = j.value("nemesis", o.nemesis);
    o.nemesis_interval_s = j.value("nemesis_interval_s", o.nemesis_interval_s);
    o.nemesis_targets = j.value("nemesis_targets", o.nemesis_targets);
    o.network = j.value("network", o.network);
    o.hosts = j.value("hosts", o.hosts);
    o.partition_kinds = j.value("partition_kinds", o.partition_kinds);
    o.partition_grudge = j.value("partition_grudge", o.partition_grudge);
    o.packet_behaviours = j.value("packet_behaviours", o.packet_behaviours);
    o.seed = j.value("seed", o.seed);
    o.store = j.value("store", o.store);
    o.name = j.value("name", o.name);
    o.check_time_limit_s = j.value("check_time_limit_s", o.check_time_limit_s);
    o.replay_of = j.value("replay_of", o.replay_of);
    o.faults_from = j.value("faults_from", o.faults_from);
    // Every target's own fields that the struct above does not hold.
    const nlohmann::json known = test_options_to_json(TestOptions{});
    for (const TargetKind* kind : target_kinds())
      for (const TargetOptionSpec& spec : kind->option_specs())
        if (!known.contains(spec.field) && j.contains(spec.field)) o.target_options[spec.field] = j[spec.field];
  } catch (const nlohmann::json::exception& error) {
    return std::unexpected(std::string("a field has the wrong type: ") + error.what());
  }
  if (std::string problem = validate_test_options(o); !problem.empty()) return std::unexpected(problem);
  // The target's part is checked when a run starts (validate_target_options): it may look at
  // the environment (a target file), which analyzing a stored run must not depend on.
  return o;
}

std::expected<TestOptions, std::string> recorded_test_options(const std::string& run_dir) {
  const std::string file = (std::filesystem::path(run_dir) / "test.json").string();
  std::ifstream in(file);
  const nlohmann::json recorded = nlohmann::json::parse(in, nullptr, false);
  if (!in.is_open() || recorded.is_discarded() || !recorded.is_object())
    return std::unexpected(file + " is missing or not JSON: " + run_dir + " is not a run directory");
  auto options = test_options_from_json(recorded);
  if (!options) return std::unexpected(file + ": " + options.error());
  return options;
}

bool is_test_option_field(const std::string& field) {
  static const nlohmann::json known = test_options_to_json(TestOptions{});
  if (known.contains(field)) return true;
  for (const TargetKind* kind : target_kinds())
    for (const TargetOptionSpec& spec : kind->option_specs())
      if (spec.field == field) return true;
  return false;
}

std::string reproduce_command(const TestOptions& o) {
  std::ostringstream command;
  // A replay takes every test flag, over the recorded run's options: these reproduce it.
  command << (o.replay_of.empty() ? "faultline test" : "faultline replay " + o.replay_of);
  if (!o.replay_of.empty() && !o.faults_from.empty()) command << " --faults-from " << o.faults_from;
  const std::string nodes = o.hosts.empty() ? " --nodes " + std::to_string(o.nodes) : " --hosts " + o.hosts;
  if (o.target != "bundled") {
    command << " --target " << o.target << nodes;
    // The target's own options that differ from their defaults, as their flags.
    if (const TargetKind* kind = find_target_kind(o.target))
      for (const TargetOptionSpec& spec : kind->option_specs())
        if (o.target_options.contains(spec.field) && o.target_options[spec.field] != spec.default_value) {
          const nlohmann::json& value = o.target_options[spec.field];
          command << " " << spec.flag << " " << (value.is_string() ? value.get<std::string>() : value.dump());
        }
  } else {
    command << " --protocol " << o.protocol << nodes;
  }
  if (o.target == "bundled" && o.protocol == "quorum") {
    if (o.write_quorum > 0) command << " --write-quorum " << o.write_quorum;
    if (o.read_quorum > 0) command << " --read-quorum " << o.read_quorum;
    command << " --read-repair " << o.read_repair << " --timestamps " << o.timestamps;
  }
  if (o.target == "bundled" && o.protocol == "paxos" && o.proposers != TestOptions{}.proposers) command << " --proposers " << o.proposers;
  if (!o.bug.empty()) command << " --bug " << o.bug;
  if (o.target == "bundled" && !o.target_options.value("node_binary", std::string()).empty())
    command << " --node-binary " << o.target_options["node_binary"].get<std::string>();
  command << " --workload " << o.workload;
  if (o.workload == "kv") command << " --keys " << o.keys;
  const bool registers = o.workload == "register" || o.workload == "kv";
  if (!o.cas && registers) command << " --no-cas";
  if (o.workload == "lock") command << " --lock-fencing " << o.lock_fencing;
  if ((o.workload == "list-append" || o.workload == "rw-register") && o.consistency != TestOptions{}.consistency) command << " --consistency " << o.consistency;
  if (o.values != TestOptions{}.values && (o.workload == "register" || o.workload == "kv")) command << " --values " << o.values;
  std::string faults;
  for (const std::string& fault : o.nemesis) faults += (faults.empty() ? "" : ",") + fault;
  // Only flags that apply to this run: `faultline test` refuses the others (test_command.cc).
  command << " --clients " << o.clients << " --rate " << o.rate << " --time-limit " << o.time_limit_s
          << " --nemesis " << (faults.empty() ? std::string("none") : faults);
  if (!o.nemesis.empty()) command << " --nemesis-interval " << o.nemesis_interval_s;
  const bool targets_apply = has_nemesis(o, "kill") || has_nemesis(o, "pause") || has_nemesis(o, "packet") ||
                             has_nemesis(o, "clock") || has_nemesis(o, "power-loss") || has_nemesis(o, "corrupt");
  if (o.nemesis_targets != "minority" && targets_apply) command << " --nemesis-targets " << o.nemesis_targets;
  const TestOptions defaults;
  if (needs_network_control(o) && o.hosts.empty() && o.network != "proxy" && o.network != "auto") command << " --network " << o.network;
  if (has_nemesis(o, "packet") && !o.packet_behaviours.empty()) {
    std::string behaviours;
    for (const std::string& behaviour : o.packet_behaviours) behaviours += (behaviours.empty() ? "" : ",") + behaviour;
    command << " --packet " << behaviours;
  }
  if (has_nemesis(o, "partition")) {
    if (o.partition_kinds != defaults.partition_kinds) {
      std::string kinds;
      for (const std::string& kind : o.partition_kinds) kinds += (kinds.empty() ? "" : ",") + kind;
      command << " --partition " << (kinds.empty() ? std::string("none") : kinds);
    }
    if (!o.partition_grudge.empty()) command << " --partition-grudge '" << o.partition_grudge << "'";
  }
  if (o.request_timeout_s != TestOptions{}.request_timeout_s) command << " --request-timeout " << o.request_timeout_s;
  command << " --seed " << o.seed;
  return command.str();
}

}  // namespace faultline
