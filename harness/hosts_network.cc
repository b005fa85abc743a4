#include "hosts_network.h"

#include <algorithm>
#include <set>
#include <thread>

#include "hosts/host_firewall.h"

namespace faultline {


std::expected<std::unique_ptr<HostsNetwork>, std::string> HostsNetwork::create(HostSet& hosts, bool firewall) {
  std::unique_ptr<HostsNetwork> network(new HostsNetwork(hosts, firewall));
  if (!firewall) return network;
  for (const auto& host : hosts.hosts()) {
    const RemoteResult installed = host->run(host->as_root(hosts::install_firewall_command()));
    if (!installed.ok())
      return std::unexpected(host->name() + ": could not add the run's iptables chain: " + installed.said());
  }
  return network;  // its destructor removes the chains when a later step fails
}

std::expected<std::unique_ptr<ClusterNetwork>, std::string> make_hosts_network(HostSet& hosts, bool firewall) {
  auto network = HostsNetwork::create(hosts, firewall);
  if (!network) return std::unexpected(network.error());
  return std::unique_ptr<ClusterNetwork>(std::move(*network));
}

HostsNetwork::~HostsNetwork() { remove_firewall(); }

void HostsNetwork::remove_firewall() noexcept {
  if (!firewall_) return;
  for (const auto& host : hosts_.hosts()) host->run(host->as_root(hosts::remove_firewall_command()));
}

NodePlacer HostsNetwork::placer() {
  return [this](const std::vector<std::string>& ids,
                const std::vector<std::uint16_t>& ports) -> TargetResult<std::vector<NodePlacement>> {
    const std::vector<std::string> addresses = hosts_.addresses();
    if (ids.size() != addresses.size())
      return std::unexpected(TargetError{std::to_string(ids.size()) + " nodes for " + std::to_string(addresses.size()) +
                                         " hosts: --hosts runs one node per host"});
    auto address = [&](std::size_t i) { return addresses[i] + ":" + std::to_string(ports[i]); };
    std::vector<NodePlacement> placements(ids.size());
    for (std::size_t i = 0; i < ids.size(); ++i) {
      placements[i].listen_address = "0.0.0.0:" + std::to_string(ports[i]);
      placements[i].client_address = address(i);
      for (std::size_t peer = 0; peer < ids.size(); ++peer)
        if (peer != i) placements[i].peers.emplace_back(ids[peer], address(peer));
    }
    return placements;
  };
}

std::string HostsNetwork::load_rules(const std::vector<std::string>& nodes) {
  const std::vector<std::string> addresses = hosts_.addresses();
  const std::vector<std::string> ids = cluster_node_ids(static_cast<int>(addresses.size()));
  auto index_of = [&](const std::string& id) {
    return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
  };
  // Every host at once: a partition takes one SSH round trip, not one per host.
  std::vector<std::string> errors(nodes.size());
  std::vector<std::thread> loaders;
  for (std::size_t n = 0; n < nodes.size(); ++n) {
    std::vector<std::pair<std::string, proxy::LinkState>> into;
    for (const auto& [link, state] : links_)
      if (link.second == nodes[n]) into.emplace_back(addresses[index_of(link.first)], state);
    const SshHost& host = *hosts_.hosts()[index_of(nodes[n])];
    loaders.emplace_back([&host, &error = errors[n], rules = hosts::firewall_chain_rules(into)] {
      const RemoteResult loaded = host.run(host.as_root(hosts::load_firewall_command()), rules);
      if (!loaded.ok()) error = host.name() + ": iptables-restore failed: " + loaded.said();
    });
  }
  for (std::thread& loader : loaders) loader.join();
  for (const std::string& error : errors)
    if (!error.empty()) return error;
  return "";
}

std::string HostsNetwork::set_link_states(const std::vector<proxy::LinkChange>& changes) {
  const std::vector<std::string> ids = cluster_node_ids(static_cast<int>(hosts_.hosts().size()));
  const std::set<std::string> known(ids.begin(), ids.end());
  for (const proxy::LinkChange& change : changes) {
    if (!known.contains(change.from) || !known.contains(change.to))
      return "link " + change.from + " -> " + change.to + ": no such node on these hosts";
    if (change.from == change.to) return "link " + change.from + " -> " + change.to + ": a node has no link to itself";
    if (std::string problem = proxy::validate_link_state(change.state); !problem.empty()) return problem;
    if (std::string problem = hosts::unsupported_on_hosts(change.state); !problem.empty()) return problem;
  }
  std::lock_guard lock(mutex_);
  std::set<std::string> touched;
  for (const proxy::LinkChange& change : changes) {
    if (change.state == proxy::link_open) links_.erase({change.from, change.to});
    else links_[{change.from, change.to}] = change.state;
    touched.insert(change.to);
  }
  return load_rules({touched.begin(), touched.end()});
}

void HostsNetwork::heal_all() {
  std::lock_guard lock(mutex_);
  links_.clear();
  load_rules(cluster_node_ids(static_cast<int>(hosts_.hosts().size())));
}

}  // namespace faultline
