// The network between a run's nodes, as the partition nemesis needs it: where each node sits
// (the target starts its nodes as the placer says) and the links the nemesis cuts and heals.
//
//   loopback  nodes dial each other directly; no network faults (runs without --nemesis partition)
//   proxy     a user-space TCP proxy on every directed link (nemesis/proxy); no privileges
//   netns     every node in its own network namespace, links cut by iptables (nemesis/netns); root
//
// Created before the target and destroyed after it: the target's placer calls into it.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <ostream>
#include <string>

#include "adapter/node_placement.h"
#include "proxy/link_state.h"

namespace faultline {

class ClusterNetwork {
 public:
  virtual ~ClusterNetwork() = default;
  virtual std::string name() const = 0;
  // Empty for loopback: the target's default placement.
  virtual NodePlacer placer() = 0;
  // The links the nemesis controls; null before the nodes are placed, and for loopback.
  virtual proxy::NetworkLinks* links() = 0;
};

// `kind` is loopback, proxy or netns; `seed` drives the proxies' jitter and loss. netns first
// removes what runs that died left behind, and says so on `log`. Errors: an unknown kind, a
// backend that cannot work here (netns without root), said for the user.
std::expected<std::unique_ptr<ClusterNetwork>, std::string> make_cluster_network(const std::string& kind,
                                                                                 std::uint64_t seed,
                                                                                 std::ostream& log);

}  // namespace faultline
