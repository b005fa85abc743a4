// The netns network backend's plan, pure (STYLE principle 7): which namespaces, links and
// addresses a run's cluster gets, the commands that build and remove them, and the firewall
// rules that carry out link states. netns_network.h runs these commands.
//
// The layout, for run tag T and nodes n1..nN:
//   faultline-T-bridge   a namespace holding only the bridge br0, which joins the nodes
//   faultline-T-n1 ...   one namespace per node: lo, and eth0 (a veth whose other end, v-n1,
//                        sits on br0) with address 198.18.0.(i+1)/24
// The subnet is 198.18.0.0/24 (RFC 2544's benchmarking range), and it exists only inside the
// run's namespaces: the root namespace gets no interface, address or route on it, and the
// root namespace's firewall is never touched. Every run has namespaces of its own, so runs
// side by side do not meet.
//
// A node listens on 0.0.0.0 inside its namespace: peers reach it at its 198.18 address across
// the bridge, where partitions cut; the controller's clients reach it at 127.0.0.1 from a socket
// opened inside the node's namespace (NodePlacement::client_network_namespace), a path no
// partition touches.
//
// Links: traffic from A to B is governed by B's INPUT chain (rules matching A's source
// address): a cut link is `-j DROP` (SYNs and segments vanish, the sender sees timeouts, as in
// Jepsen); loss is DROP with the `statistic` match. Latency and jitter cannot be done here
// (this kernel has no netem qdisc): they need --network proxy.
//
// The run tag is the controller's pid and its start time, so a sweep can tell the leftovers
// of a run that died (no such process any more) from a run still going.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/link_state.h"

namespace faultline::netns {

inline constexpr std::string_view namespace_prefix = "faultline-";
inline constexpr std::string_view subnet_prefix = "198.18.0.";  // the run's /24
inline constexpr int nodes_max = 200;                           // addresses .1 to .200

struct NetnsNode {
  std::string id;              // n1
  std::string namespace_name;  // faultline-T-n1
  std::string address;         // 198.18.0.1
};

struct NetnsLayout {
  std::string run_tag;
  std::string bridge_namespace;
  std::vector<NetnsNode> nodes;
};

// "<pid>-<start time>": who made the namespaces.
std::string run_tag(std::int64_t pid, std::uint64_t start_time_ticks);
// The pid and start time in a namespace name this backend made; nullopt for any other name.
struct RunOwner {
  std::int64_t pid = 0;
  std::uint64_t start_time_ticks = 0;
  bool operator==(const RunOwner&) const = default;
};
std::optional<RunOwner> owner_of_namespace(std::string_view namespace_name);

// `ids` distinct, 1 to nodes_max of them (asserted).
NetnsLayout make_layout(const std::string& run_tag, const std::vector<std::string>& ids);

using Command = std::vector<std::string>;

// Builds everything, in order: the bridge namespace and bridge, then each node's namespace,
// veth pair, address and links up.
std::vector<Command> setup_commands(const NetnsLayout& layout);
// Removes everything (deleting a namespace removes its interfaces and firewall).
std::vector<Command> teardown_commands(const NetnsLayout& layout);
// Removes one namespace by name (the sweep's and cleanup's command).
Command delete_namespace_command(const std::string& namespace_name);

// What is wrong with `state` for this backend (latency and jitter, which need the proxy
// backend); empty when it can be carried out.
std::string unsupported_in_netns(const proxy::LinkState& state);

// The whole filter table of `node`'s namespace as iptables-restore reads it, given the state
// of every link into `node` as (from node id, state); open links add no rule.
std::string firewall_rules(const NetnsLayout& layout, const std::string& node,
                           const std::vector<std::pair<std::string, proxy::LinkState>>& links_into_node);

// The command that loads firewall_rules into `node`'s namespace (the rules on standard input).
Command load_firewall_command(const NetnsLayout& layout, const std::string& node);

}  // namespace faultline::netns
