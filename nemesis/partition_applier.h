// Carries out a planned partition on the network links (STYLE principle 7: plan purely, apply
// thinly): every link the grudge cuts is cut, every other link between the nodes is open. A
// partition replaces the one before it; heal opens every link.
//
// The partition nemesis owns the links: a partition resets any latency or loss set before.
//
// Errors (a message, nothing changed): a node of the partition that the links do not know.
#pragma once

#include <string>
#include <vector>

#include "partition_planner.h"
#include "proxy/link_state.h"

namespace faultline {

// The state of every directed link between `nodes` under `partition`: pure, in the order of
// `nodes` (from, then to).
std::vector<proxy::LinkChange> partition_link_changes(const Partition& partition,
                                                      const std::vector<std::string>& nodes);

// Puts `partition` in place on `links`, all links at once, before returning.
std::string apply_partition(proxy::NetworkLinks& links, const Partition& partition,
                            const std::vector<std::string>& nodes);

// Every link open again.
void heal_network(proxy::NetworkLinks& links);

}  // namespace faultline
