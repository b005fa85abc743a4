#include "netns_layout.h"

#include <cassert>
#include <charconv>
#include <set>
#include <sstream>

namespace faultline::netns {

namespace {

const NetnsNode& node_named(const NetnsLayout& layout, const std::string& id) {
  for (const NetnsNode& node : layout.nodes)
    if (node.id == id) return node;
  assert(false && "a node of the layout");
  return layout.nodes.front();
}

// Both parts of a tag are decimal numbers; anything else is not ours.
std::optional<std::uint64_t> decimal(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string run_tag(std::int64_t pid, std::uint64_t start_time_ticks) {
  return std::to_string(pid) + "-" + std::to_string(start_time_ticks);
}

std::optional<RunOwner> owner_of_namespace(std::string_view name) {
  if (!name.starts_with(namespace_prefix)) return std::nullopt;
  name.remove_prefix(namespace_prefix.size());
  // <pid>-<start>-<suffix>
  const std::size_t first = name.find('-');
  if (first == std::string_view::npos) return std::nullopt;
  const std::size_t second = name.find('-', first + 1);
  if (second == std::string_view::npos || second + 1 == name.size()) return std::nullopt;
  const auto pid = decimal(name.substr(0, first));
  const auto start = decimal(name.substr(first + 1, second - first - 1));
  if (!pid || !start || *pid == 0) return std::nullopt;
  return RunOwner{static_cast<std::int64_t>(*pid), *start};
}

NetnsLayout make_layout(const std::string& tag, const std::vector<std::string>& ids) {
  assert(!ids.empty() && ids.size() <= static_cast<std::size_t>(nodes_max));
  assert(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());
  const std::string prefix = std::string(namespace_prefix) + tag + "-";
  NetnsLayout layout{tag, prefix + "bridge", {}};
  for (std::size_t i = 0; i < ids.size(); ++i)
    layout.nodes.push_back({ids[i], prefix + ids[i], std::string(subnet_prefix) + std::to_string(i + 1)});
  return layout;
}

std::vector<Command> setup_commands(const NetnsLayout& layout) {
  const std::string& bridge = layout.bridge_namespace;
  std::vector<Command> commands = {
      {"ip", "netns", "add", bridge},
      {"ip", "-n", bridge, "link", "add", "br0", "type", "bridge"},
      {"ip", "-n", bridge, "link", "set", "br0", "up"},
  };
  for (const NetnsNode& node : layout.nodes) {
    const std::string& ns = node.namespace_name;
    const std::string bridge_end = "v-" + node.id;
    commands.push_back({"ip", "netns", "add", ns});
    commands.push_back({"ip", "-n", ns, "link", "set", "lo", "up"});
    // Created inside the node's namespace with its peer straight in the bridge's: neither end
    // ever appears in the root namespace.
    commands.push_back({"ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", bridge_end, "netns", bridge});
    commands.push_back({"ip", "-n", bridge, "link", "set", bridge_end, "master", "br0"});
    commands.push_back({"ip", "-n", bridge, "link", "set", bridge_end, "up"});
    commands.push_back({"ip", "-n", ns, "addr", "add", node.address + "/24", "dev", "eth0"});
    commands.push_back({"ip", "-n", ns, "link", "set", "eth0", "up"});
  }
  return commands;
}

std::vector<Command> teardown_commands(const NetnsLayout& layout) {
  std::vector<Command> commands;
  for (const NetnsNode& node : layout.nodes) commands.push_back(delete_namespace_command(node.namespace_name));
  commands.push_back(delete_namespace_command(layout.bridge_namespace));
  return commands;
}

Command delete_namespace_command(const std::string& namespace_name) { return {"ip", "netns", "delete", namespace_name}; }

std::string unsupported_in_netns(const proxy::LinkState& state) {
  if (state.latency_ms != 0 || state.jitter_ms != 0)
    return "link latency and jitter need --network proxy (this kernel has no netem qdisc for the netns backend)";
  return "";
}

std::string firewall_rules(const NetnsLayout& layout, const std::string& node,
                           const std::vector<std::pair<std::string, proxy::LinkState>>& links_into_node) {
  (void)node_named(layout, node);
  std::ostringstream rules;
  rules << "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n";
  for (const auto& [from, state] : links_into_node) {
    const std::string& source = node_named(layout, from).address;
    if (state.cut) {
      rules << "-A INPUT -s " << source << "/32 -j DROP\n";
    } else if (state.loss_probability > 0) {
      rules.precision(6);
      rules << "-A INPUT -s " << source << "/32 -m statistic --mode random --probability " << std::fixed
            << state.loss_probability << " -j DROP\n";
    }
  }
  rules << "COMMIT\n";
  return rules.str();
}

Command load_firewall_command(const NetnsLayout& layout, const std::string& node) {
  // -w: other runs' iptables calls share the xtables lock; wait for it rather than fail.
  return {"ip", "netns", "exec", node_named(layout, node).namespace_name, "iptables-restore", "-w", "5"};
}

}  // namespace faultline::netns
