#include "cluster_network.h"

#include <mutex>

#include "netns/netns_network.h"
#include "proxy/proxy_set.h"

namespace faultline {
namespace {

class LoopbackNetwork final : public ClusterNetwork {
 public:
  std::string name() const override { return "loopback"; }
  NodePlacer placer() override { return {}; }
  proxy::NetworkLinks* links() override { return nullptr; }
};

// Node i listens on its own port; its message to peer j goes to the proxy of link i->j.
class ProxyNetwork final : public ClusterNetwork {
 public:
  explicit ProxyNetwork(std::uint64_t seed) : seed_(seed) {}
  std::string name() const override { return "proxy"; }

  NodePlacer placer() override {
    return [this](const std::vector<std::string>& ids, const std::vector<std::uint16_t>& ports)
               -> TargetResult<std::vector<NodePlacement>> {
      std::vector<proxy::ProxyNode> nodes;
      for (std::size_t i = 0; i < ids.size(); ++i) nodes.push_back({ids[i], ports[i]});
      std::lock_guard lock(mutex_);
      proxies_.reset();  // a retry with new ports: the old proxies point at the old ones
      auto started = proxy::ProxySet::start(nodes, seed_);
      if (!started) return std::unexpected(TargetError{"the link proxies did not start: " + started.error()});
      proxies_ = std::move(*started);
      std::vector<NodePlacement> placements = loopback_placements(ids, ports);
      for (std::size_t i = 0; i < ids.size(); ++i)
        for (auto& [peer, address] : placements[i].peers) address = proxies_->listen_address(ids[i], peer);
      return placements;
    };
  }

  proxy::NetworkLinks* links() override {
    std::lock_guard lock(mutex_);
    return proxies_.get();
  }

 private:
  std::uint64_t seed_;
  std::mutex mutex_;
  std::unique_ptr<proxy::ProxySet> proxies_;
};

// Node i in its own namespace, listening on all its addresses: peers dial its address on the
// run's bridge (where partitions cut), clients dial its loopback from inside its namespace.
class NamespaceNetwork final : public ClusterNetwork {
 public:
  std::string name() const override { return "netns"; }

  NodePlacer placer() override {
    return [this](const std::vector<std::string>& ids, const std::vector<std::uint16_t>& ports)
               -> TargetResult<std::vector<NodePlacement>> {
      std::lock_guard lock(mutex_);
      if (!network_) {  // a retry with new ports keeps the namespaces
        auto created = netns::NetnsNetwork::create(ids);
        if (!created) return std::unexpected(TargetError{created.error()});
        network_ = std::move(*created);
      }
      const netns::NetnsLayout& layout = network_->layout();
      std::vector<NodePlacement> placements(ids.size());
      for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::string port = std::to_string(ports[i]);
        placements[i].listen_address = "0.0.0.0:" + port;
        for (std::size_t peer = 0; peer < ids.size(); ++peer)
          if (peer != i) placements[i].peers.emplace_back(ids[peer], layout.nodes[peer].address + ":" + std::to_string(ports[peer]));
        placements[i].launch_prefix = {"ip", "netns", "exec", layout.nodes[i].namespace_name};
        placements[i].client_address = "127.0.0.1:" + port;
        placements[i].client_network_namespace = layout.nodes[i].namespace_name;
      }
      return placements;
    };
  }

  proxy::NetworkLinks* links() override {
    std::lock_guard lock(mutex_);
    return network_.get();
  }

 private:
  std::mutex mutex_;
  std::unique_ptr<netns::NetnsNetwork> network_;
};

}  // namespace

std::expected<std::unique_ptr<ClusterNetwork>, std::string> make_cluster_network(const std::string& kind,
                                                                                 std::uint64_t seed,
                                                                                 std::ostream& log) {
  if (kind == "loopback") return std::make_unique<LoopbackNetwork>();
  if (kind == "proxy") return std::make_unique<ProxyNetwork>(seed);
  if (kind == "netns") {
    if (std::string reason = netns::netns_unavailable_reason(); !reason.empty()) return std::unexpected(reason);
    const netns::SweepResult swept = netns::sweep_leftover_namespaces();
    for (const std::string& name : swept.removed) log << "removed network namespace " << name << ", left by a run that died\n";
    for (const std::string& error : swept.errors) log << "could not remove a leftover network namespace: " << error << '\n';
    return std::make_unique<NamespaceNetwork>();
  }
  return std::unexpected("unknown network '" + kind + "' (known: loopback, proxy, netns)");
}

}  // namespace faultline
