// The flags of `faultline test` (test_flags.h).
#include "test_flags.h"

#include <functional>

#include <CLI/CLI.hpp>

#include "seed_option.h"
#include "target_factory.h"

namespace faultline {
namespace {

// The first flag given on the command line that this run would ignore, said with what it needs;
// empty when every flag given applies. Suites and --options-file set fields for every cell, so
// this is for the command line only.
std::string inapplicable_flag(const TestOptions& o, const std::function<bool(const char*)>& given) {
  const bool bundled = o.target == "bundled", quorum = bundled && o.protocol == "quorum";
  const bool registers = o.workload == "register" || o.workload == "kv";
  struct Rule {
    const char* flag;
    bool applies;
    const char* needs;
  };
  const Rule rules[] = {
      {"--read-repair", quorum, "--protocol quorum (Paxos has no read repair)"},
      {"--timestamps", quorum, "--protocol quorum (Paxos orders writes by ballots, not timestamps)"},
      {"--proposers", bundled && o.protocol == "paxos", "--protocol paxos"},
      {"--keys", o.workload == "kv", "--workload kv (register has one key; set and lock keys of their own)"},
      {"--values", registers, "--workload register or kv"},
      {"--no-cas", registers, "--workload register or kv"},
      {"--lock-fencing", o.workload == "lock", "--workload lock"},
      {"--consistency", o.workload == "list-append" || o.workload == "rw-register", "--workload list-append or rw-register"},
      {"--partition", has_nemesis(o, "partition"), "--nemesis partition"},
      {"--partition-grudge", has_nemesis(o, "partition"), "--nemesis partition"},
      {"--packet", has_nemesis(o, "packet"), "--nemesis packet"},
      {"--network", needs_network_control(o), "--nemesis partition or packet (without them nodes talk directly)"},
      {"--nemesis-interval", !o.nemesis.empty(), "a nemesis (--nemesis is none)"},
      {"--nemesis-targets", has_nemesis(o, "kill") || has_nemesis(o, "pause") || has_nemesis(o, "packet") ||
                                has_nemesis(o, "clock") || has_nemesis(o, "power-loss") || has_nemesis(o, "corrupt"),
       "--nemesis kill, pause, packet, clock, power-loss or corrupt"},
  };
  for (const Rule& rule : rules)
    if (!rule.applies && given(rule.flag)) return std::string(rule.flag) + " applies with " + rule.needs;
  return "";
}

}  // namespace

TestFlags bind_test_flags(CLI::App* test, std::shared_ptr<TestOptions> options) {
  std::string targets_help = "The system under test:";
  for (const TargetKind* kind : target_kinds()) targets_help += " " + kind->name() + " (" + kind->summary() + ");";
  targets_help.pop_back();
  test->add_option("--target", options->target, targets_help)->capture_default_str();
  // The options of targets other than the bundled one, declared by each target: kept as text
  // here and typed by their spec's default after parsing.
  auto target_texts = std::make_shared<std::vector<std::pair<TargetOptionSpec, std::string>>>();
  const nlohmann::json struct_fields = test_options_to_json(TestOptions{});
  for (const TargetKind* kind : target_kinds())
    for (const TargetOptionSpec& spec : kind->option_specs())
      if (!struct_fields.contains(spec.field)) target_texts->push_back({spec, ""});
  for (auto& [spec, text] : *target_texts) {
    CLI::Option* option = test->add_option(spec.flag, text, spec.help);
    if (!spec.allowed.empty()) option->check(CLI::IsMember(spec.allowed));
    if (!spec.default_value.is_string() || !spec.default_value.get<std::string>().empty())
      option->default_str(spec.default_value.is_string() ? spec.default_value.get<std::string>() : spec.default_value.dump());
  }
  test->add_option("--protocol", options->protocol,
                   "paxos (every key a CASPaxos register) or quorum (Dynamo-style N/R/W replication)")
      ->check(CLI::IsMember({"paxos", "quorum"}))
      ->capture_default_str();
  test->add_option("--nodes", options->nodes, "Nodes in the cluster (N)")->capture_default_str();
  test->add_option("--write-quorum", options->write_quorum, "quorum: W, acknowledgements a write waits for (default: a majority)");
  test->add_option("--read-quorum", options->read_quorum, "quorum: R, replies a read waits for (default: a majority)");
  test->add_option("--read-repair", options->read_repair,
                   "quorum: off, async (repair in the background) or sync (write the newest value back before "
                   "answering: ABD)")
      ->check(CLI::IsMember({"off", "async", "sync"}))
      ->capture_default_str();
  test->add_option("--timestamps", options->timestamps,
                   "quorum: lamport (ask R replicas for the highest timestamp) or wallclock (the node's clock)")
      ->check(CLI::IsMember({"lamport", "wallclock"}))
      ->capture_default_str();
  test->add_option("--proposers", options->proposers,
                   "paxos: leader (nodes forward their clients' operations to the lowest-numbered node they can "
                   "reach, which proposes them: one round per operation, few duels) or every-node (each node "
                   "proposes its own clients' operations; proposers duel on shared keys)")
      ->check(CLI::IsMember({"leader", "every-node"}))
      ->capture_default_str();
  test->add_option("--bug", options->bug, "Plant a bug in the bundled node (see `faultline-node --help`)");
  test->add_option("--workload", options->workload,
                   "register (one key: read, write, cas; linearizability), kv (many keys; linearizability per "
                   "key), set (add unique integers, read them back from every node) or lock (take a lock with a "
                   "lease, read a set, add an element, write it back, release: lost updates and overlapping "
                   "holders; see --lock-fencing) or list-append (transactions of appends to and reads of lists, "
                   "checked as Elle does for the model in --consistency; needs a target that serves transactions: "
                   "the bundled node, etcd or ZooKeeper) or rw-register (the same transactions writing registers instead of "
                   "appending: the bundled node)")
      ->capture_default_str();
  test->add_option("--keys", options->keys, "kv: how many independent keys")->capture_default_str();
  test->add_option("--values", options->values,
                   "register, kv: writes and cas use the values 0..N-1. Few values make cas succeed often; many "
                   "make every write tell apart, so a lost write cannot hide behind an unknown write of the same value")
      ->capture_default_str();
  test->add_option("--lock-fencing", options->lock_fencing,
                   "lock: none (the protected write is a plain write under the lock, as a naive user writes it) or "
                   "token (it is refused once the lock no longer holds: etcd compares the lock key in a txn; the "
                   "bundled node compares the value read under the lock, which carries the holder's fence)")
      ->check(CLI::IsMember({"none", "token"}))
      ->capture_default_str();
  test->add_option("--consistency", options->consistency,
                   "list-append: the consistency model the target claims, named as Elle names them "
                   "(strict-serializable, serializable, snapshot-isolation, repeatable-read, read-committed, ...); "
                   "the verdict is invalid when the history shows an anomaly that model forbids")
      ->capture_default_str();
  test->add_flag("--no-cas{false}", options->cas,
                 "register, kv: reads and writes only, no compare-and-set (quorum replication can be "
                 "linearizable for these, never for cas)");
  test->add_option("--clients", options->clients, "Concurrent client processes")->capture_default_str();
  test->add_option("--rate", options->rate, "Operations per second, all clients together")->capture_default_str();
  test->add_option("--time-limit", options->time_limit_s,
                   "Seconds of client load (warm-up, then faults); a recovery period and final reads follow")
      ->capture_default_str();
  test->add_option("--request-timeout", options->request_timeout_s,
                   "Seconds a client waits for an answer before it records the operation as unknown (info) and "
                   "retires the process (Jepsen's rule)")
      ->capture_default_str();
  test->add_option("--nemesis", options->nemesis,
                   "Faults, comma-separated: kill (SIGKILL, restart later), pause (SIGSTOP, SIGCONT later), "
                   "partition (cut network links, heal later; see --network, --partition), packet (slow or lossy links "
                   "into and out of some nodes for a while; see --packet), clock (shift, "
                   "strobe and reset node clocks: matters for --timestamps wallclock), power-loss (SIGKILL, and the node's "
                   "data directory, a faultline-lazyfs mount, loses what was not fsynced; restart later; needs root and "
                   "/dev/fuse), corrupt (SIGKILL one node, flip bits in or cut short one of its data files, restart later; "
                   "one node at a time), or none")
      ->delimiter(',')
      ->capture_default_str();
  test->add_option("--nemesis-interval", options->nemesis_interval_s, "Seconds between fault actions")
      ->capture_default_str();
  test->add_option("--nemesis-targets", options->nemesis_targets,
                   "How many nodes may be faulty at once: minority (a majority stays up), majority, or all "
                   "(the whole cluster can go down: what durability bugs need); each fault picks 1 up to that")
      ->check(CLI::IsMember({"minority", "majority", "all"}))
      ->capture_default_str();
  test->add_option("--network", options->network,
                   "How partitions and packet faults are made: auto (proxy where the target's nodes can be proxied per link, "
                   "else netns), proxy (a user-space TCP proxy on every link between nodes; no root "
                   "needed) or netns (every node in its own network namespace, links cut with iptables; needs "
                   "root). Used with --nemesis partition or packet; otherwise nodes talk directly on loopback")
      ->check(CLI::IsMember({"auto", "proxy", "netns"}))
      ->capture_default_str();
  test->add_option("--hosts", options->hosts,
                   "A hosts file (JSON: address, port, user, identity, known_hosts, node, directory of each host): run "
                   "the cluster on those hosts over SSH, one node per host (so no --nodes), started, killed, paused "
                   "and stopped there by process id; partitions and packet loss are iptables rules on the hosts (so "
                   "no --network; root or passwordless sudo there). Each host is checked before anything starts; "
                   "the nodes' logs and data come back into the run directory and the hosts are left clean. "
                   "scripts/test-hosts makes such hosts on this machine. Targets: bundled, etcd");
  test->add_option("--partition", options->partition_kinds,
                   "Partition shapes to draw from, comma-separated: isolate (one node cut off), halves (a "
                   "minority against a majority), majorities-ring (each node sees a different majority), bridge "
                   "(two halves joined through one node), one-way (single directions cut), or none (with "
                   "--partition-grudge)")
      ->delimiter(',')
      ->capture_default_str();
  test->add_option("--partition-grudge", options->partition_grudge,
                   "A partition of your own, drawn like the shapes: JSON naming, for each node, the nodes it drops "
                   "traffic from, e.g. '{\"n3\": [\"n1\", \"n2\"]}'");
  test->add_option("--packet", options->packet_behaviours,
                   "Packet behaviours to draw from, comma-separated: delay (50 ms + up to 50 ms jitter per "
                   "chunk; --network proxy only) or loss (20% of packets; with proxy, as the delay of a TCP "
                   "retransmission). Default: every one the network can do")
      ->delimiter(',');
  test->add_option("--seed", options->seed, "Seed of every random choice (default: a fresh one, printed)")
      ->check(seed_text_error);
  test->add_option("--store", options->store, "Where runs are kept")->capture_default_str();
  test->add_option("--name", options->name, "The run's name in the store (default: PROTOCOL-WORKLOAD)");
  test->add_option("--check-time-limit", options->check_time_limit_s,
                   "Seconds the linearizability search may take; past it the verdict is unknown")
      ->capture_default_str();
  return {options, target_texts};
}

std::string finish_test_flags(CLI::App* test, const TestFlags& flags) {
  TestOptions* options = flags.options.get();
  for (const auto& [spec, text] : *flags.target_texts) {
    if (test->get_option(spec.flag)->count() == 0) continue;
    nlohmann::json value = text;
    if (!spec.default_value.is_string()) {
      value = nlohmann::json::parse(text, nullptr, false);
      if (value.is_discarded() || (value.is_boolean() != spec.default_value.is_boolean()))
        return spec.flag + ": expected a " + spec.default_value.type_name() + ", got '" + text + "'";
    }
    options->target_options[spec.field] = value;
  }
  if (options->nemesis.size() == 1 && options->nemesis[0] == "none") options->nemesis.clear();
  if (options->partition_kinds.size() == 1 && options->partition_kinds[0] == "none") options->partition_kinds.clear();
  // A flag given for something this run does not do would be silently ignored: refuse it.
  auto given = [&](const char* flag) { return test->get_option(flag)->count() > 0; };
  if (!options->hosts.empty()) {
    if (given("--network")) return "--network does not apply with --hosts: network faults are iptables rules on the hosts";
    if (given("--nodes")) return "--nodes does not apply with --hosts: the cluster has one node per host in the file";
  }
  return inapplicable_flag(*options, given);
}

}  // namespace faultline
