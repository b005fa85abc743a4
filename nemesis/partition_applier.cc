#include "partition_applier.h"

namespace faultline {

std::vector<proxy::LinkChange> partition_link_changes(const Partition& partition,
                                                      const std::vector<std::string>& nodes) {
  std::vector<proxy::LinkChange> changes;
  for (const std::string& from : nodes) {
    for (const std::string& to : nodes) {
      if (from == to) continue;
      const auto grudge = partition.grudge.find(to);
      proxy::LinkState state = proxy::link_open;
      state.cut = grudge != partition.grudge.end() && grudge->second.contains(from);
      changes.push_back({from, to, state});
    }
  }
  return changes;
}

std::string apply_partition(proxy::NetworkLinks& links, const Partition& partition,
                            const std::vector<std::string>& nodes) {
  const std::set<std::string> known(nodes.begin(), nodes.end());
  for (const Link& link : links_cut(partition.grudge))
    if (!known.contains(link.from) || !known.contains(link.to))
      return "partition " + partition.description + ": cuts link " + link.from + " -> " + link.to +
             ", but the network has no such node";
  return links.set_link_states(partition_link_changes(partition, nodes));
}

void heal_network(proxy::NetworkLinks& links) { links.heal_all(); }

}  // namespace faultline
