#include "partition_applier.h"

namespace faultline {

std::vector<proxy::LinkChange> network_link_changes(const std::vector<std::string>& nodes,
                                                    const std::optional<Partition>& partition,
                                                    const std::optional<PacketFault>& packet) {
  std::vector<proxy::LinkChange> changes;
  for (const std::string& from : nodes) {
    for (const std::string& to : nodes) {
      if (from == to) continue;
      proxy::LinkState state = proxy::link_open;
      if (packet && packet_fault_touches(*packet, from, to)) state = packet->link;
      if (partition) {
        const auto grudge = partition->grudge.find(to);
        state.cut = grudge != partition->grudge.end() && grudge->second.contains(from);
      }
      changes.push_back({from, to, state});
    }
  }
  return changes;
}

std::string apply_network_faults(proxy::NetworkLinks& links, const std::vector<std::string>& nodes,
                                 const std::optional<Partition>& partition, const std::optional<PacketFault>& packet) {
  if (!partition && !packet) {
    links.heal_all();
    return "";
  }
  const std::set<std::string> known(nodes.begin(), nodes.end());
  if (partition)
    for (const Link& link : links_cut(partition->grudge))
      if (!known.contains(link.from) || !known.contains(link.to))
        return "partition " + partition->description + ": cuts link " + link.from + " -> " + link.to +
               ", but the network has no such node";
  if (packet)
    for (const std::string& node : packet->nodes)
      if (!known.contains(node)) return "packet " + describe(*packet) + ": the network has no node " + node;
  return links.set_link_states(network_link_changes(nodes, partition, packet));
}


}  // namespace faultline
