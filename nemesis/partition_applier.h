// Carries out the network faults in place on the network links (STYLE principle 7: plan
// purely, apply thinly): every link the partition's grudge cuts is cut, every link the packet
// fault touches is slowed or lossy, every other link between the nodes is open. The whole
// state is set at once, so a partition replaces the one before it and ending one fault leaves
// the other in place; with no fault left every link is healed.
//
// Errors (a message, nothing changed): a node of the partition that the links do not know.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "packet_planner.h"
#include "partition_planner.h"
#include "proxy/link_state.h"

namespace faultline {

// The state of every directed link between `nodes` under the faults given: pure, in the order
// of `nodes` (from, then to).
std::vector<proxy::LinkChange> network_link_changes(const std::vector<std::string>& nodes,
                                                    const std::optional<Partition>& partition,
                                                    const std::optional<PacketFault>& packet);

// Puts exactly these faults in place on `links` (all links at once), or heals every link when
// there are none.
std::string apply_network_faults(proxy::NetworkLinks& links, const std::vector<std::string>& nodes,
                                 const std::optional<Partition>& partition, const std::optional<PacketFault>& packet);

}  // namespace faultline
