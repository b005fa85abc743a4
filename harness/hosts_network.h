// The network of a --hosts run: one node per host, each listening on every address of its
// host and dialling its peers at their hosts' addresses; clients dial the same addresses from
// the controller. With a network nemesis, links are cut on the hosts by iptables
// (nemesis/hosts/host_firewall.h), sent over SSH as root; the controller's own connections are
// never matched. Latency cannot be made there (no netem), loss can.
#pragma once

#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "cluster_network.h"
#include "hosts/host_set.h"

namespace faultline {

class HostsNetwork final : public ClusterNetwork, public proxy::NetworkLinks {
 public:
  // `firewall`: the run faults links, so every host gets the run's firewall chain now.
  // Errors: the chain could not be installed on a host (it is removed from the others).
  static std::expected<std::unique_ptr<HostsNetwork>, std::string> create(HostSet& hosts, bool firewall);
  ~HostsNetwork() override;  // removes the chain from every host

  std::string name() const override { return "hosts"; }
  NodePlacer placer() override;
  proxy::NetworkLinks* links() override { return firewall_ ? this : nullptr; }

  std::string set_link_states(const std::vector<proxy::LinkChange>& changes) override;
  void heal_all() override;

 private:
  HostsNetwork(HostSet& hosts, bool firewall) : hosts_(hosts), firewall_(firewall) {}
  std::string load_rules(const std::vector<std::string>& nodes);  // with mutex_ held
  void remove_firewall() noexcept;

  HostSet& hosts_;
  bool firewall_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, proxy::LinkState> links_;  // (from, to) that are not open
};

// HostsNetwork::create, as the harness holds networks.
std::expected<std::unique_ptr<ClusterNetwork>, std::string> make_hosts_network(HostSet& hosts, bool firewall);

}  // namespace faultline
