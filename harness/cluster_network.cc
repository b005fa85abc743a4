#include "cluster_network.h"

#include <mutex>

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

}  // namespace

std::expected<std::unique_ptr<ClusterNetwork>, std::string> make_cluster_network(const std::string& kind,
                                                                                 std::uint64_t seed) {
  if (kind == "loopback") return std::make_unique<LoopbackNetwork>();
  if (kind == "proxy") return std::make_unique<ProxyNetwork>(seed);
  if (kind == "netns") return std::unexpected(std::string("--network netns: not available yet"));
  return std::unexpected("unknown network '" + kind + "' (known: loopback, proxy, netns)");
}

}  // namespace faultline
