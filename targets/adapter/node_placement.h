// Where each node of a cluster sits on the network: the address it binds, the address it
// dials for each peer, how its process is launched, and how clients reach it. Plain loopback
// (every node dials its peers directly) is the default; a network backend of the nemesis
// places nodes differently, e.g. behind per-link proxies (nemesis/proxy) or in network
// namespaces (nemesis/netns), and the target only carries its answer out. This keeps targets
// free of any nemesis code: the harness hands the target a NodePlacer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "target.h"

namespace faultline {

struct NodePlacement {
  std::string listen_address;                               // "HOST:PORT" the node binds
  std::vector<std::pair<std::string, std::string>> peers;   // (peer id, "HOST:PORT" it dials)
  std::vector<std::string> launch_prefix;                    // run the node under this command; empty: directly
  std::string client_address;                                // "HOST:PORT" clients and health checks dial
  std::string client_network_namespace;                      // the namespace clients dial from; empty: ours

  bool operator==(const NodePlacement&) const = default;
};

// Places the nodes `ids` whose chosen ports are `ports` (one each). Called by the target's
// start_all before any node starts, again when it retries with new ports. Errors: the network
// could not be set up (the message says what).
using NodePlacer = std::function<TargetResult<std::vector<NodePlacement>>(const std::vector<std::string>& ids,
                                                                          const std::vector<std::uint16_t>& ports)>;

// "n1".."nN": the node ids of every target's cluster.
inline std::vector<std::string> cluster_node_ids(int nodes) {
  std::vector<std::string> ids;
  for (int i = 1; i <= nodes; ++i) ids.push_back("n" + std::to_string(i));
  return ids;
}

// Every node on 127.0.0.1 at its port, dialling its peers directly.
inline std::vector<NodePlacement> loopback_placements(const std::vector<std::string>& ids,
                                                      const std::vector<std::uint16_t>& ports) {
  const auto address = [&](std::size_t i) { return "127.0.0.1:" + std::to_string(ports[i]); };
  std::vector<NodePlacement> placements(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    placements[i].listen_address = placements[i].client_address = address(i);
    for (std::size_t peer = 0; peer < ids.size(); ++peer)
      if (peer != i) placements[i].peers.emplace_back(ids[peer], address(peer));
  }
  return placements;
}

}  // namespace faultline
