#include "netns_network.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "system_command.h"

namespace faultline::netns {

namespace {

// Where `ip netns add` names its namespaces.
const std::filesystem::path named_namespaces_directory = "/run/netns";

bool on_path(const std::string& program) {
  for (const char* directory : {"/usr/sbin", "/usr/bin", "/sbin", "/bin"})
    if (access((std::string(directory) + "/" + program).c_str(), X_OK) == 0) return true;
  return false;
}

void run_all_ignoring_errors(const std::vector<Command>& commands) {
  for (const Command& command : commands) run_command(command);
}

}  // namespace

std::string netns_unavailable_reason() {
  if (geteuid() != 0)
    return "--network netns needs root (it creates network namespaces and iptables rules); run as root, or use "
           "--network proxy";
  for (const char* program : {"ip", "iptables-restore"})
    if (!on_path(program))
      return std::string("--network netns needs the ") + program +
             " command (Debian packages iproute2 and iptables; scripts/install-deps installs them)";
  return "";
}

std::string own_run_tag() {
  const std::int64_t pid = getpid();
  return run_tag(pid, process_start_ticks(pid).value_or(0));
}

std::expected<std::unique_ptr<NetnsNetwork>, std::string> NetnsNetwork::create(const std::vector<std::string>& ids) {
  if (std::string reason = netns_unavailable_reason(); !reason.empty()) return std::unexpected(reason);
  NetnsLayout layout = make_layout(own_run_tag(), ids);
  for (const Command& command : setup_commands(layout)) {
    const CommandResult result = run_command(command);
    if (!result.ok()) {
      run_all_ignoring_errors(teardown_commands(layout));
      return std::unexpected("--network netns: setting up the namespaces failed: " + describe_failure(command, result));
    }
  }
  return std::unique_ptr<NetnsNetwork>(new NetnsNetwork(std::move(layout)));
}

NetnsNetwork::~NetnsNetwork() { run_all_ignoring_errors(teardown_commands(layout_)); }

std::string NetnsNetwork::load_rules(const std::vector<std::string>& nodes) {
  std::string first_error;
  for (const std::string& node : nodes) {
    std::vector<std::pair<std::string, proxy::LinkState>> into;
    for (const auto& [link, state] : links_)
      if (link.second == node) into.emplace_back(link.first, state);
    const Command command = load_firewall_command(layout_, node);
    const CommandResult result = run_command(command, firewall_rules(layout_, node, into));
    if (!result.ok() && first_error.empty()) first_error = describe_failure(command, result);
  }
  return first_error;
}

std::string NetnsNetwork::set_link_states(const std::vector<proxy::LinkChange>& changes) {
  std::set<std::string> known;
  for (const NetnsNode& node : layout_.nodes) known.insert(node.id);
  for (const proxy::LinkChange& change : changes) {
    if (!known.contains(change.from) || !known.contains(change.to))
      return "link " + change.from + " -> " + change.to + ": no such node in this network";
    if (change.from == change.to) return "link " + change.from + " -> " + change.to + ": a node has no link to itself";
    if (std::string problem = proxy::validate_link_state(change.state); !problem.empty()) return problem;
    if (std::string problem = unsupported_in_netns(change.state); !problem.empty()) return problem;
  }
  std::lock_guard lock(mutex_);
  std::set<std::string> touched;
  for (const proxy::LinkChange& change : changes) {
    links_[{change.from, change.to}] = change.state;
    touched.insert(change.to);
  }
  return load_rules({touched.begin(), touched.end()});
}

void NetnsNetwork::heal_all() {
  std::lock_guard lock(mutex_);
  links_.clear();
  std::vector<std::string> nodes;
  for (const NetnsNode& node : layout_.nodes) nodes.push_back(node.id);
  load_rules(nodes);
}

SweepResult sweep_leftover_namespaces() {
  SweepResult result;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(named_namespaces_directory, error)) {
    const std::string name = entry.path().filename();
    const std::optional<RunOwner> owner = owner_of_namespace(name);
    if (!owner) continue;
    if (process_start_ticks(owner->pid) == owner->start_time_ticks) continue;  // that run is still going
    const Command command = delete_namespace_command(name);
    const CommandResult deleted = run_command(command);
    if (deleted.ok()) result.removed.push_back(name);
    else result.errors.push_back(describe_failure(command, deleted));
  }
  return result;
}

}  // namespace faultline::netns
