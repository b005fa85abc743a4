// Carries out one planned nemesis action (nemesis_planner.h) on a target and its network
// (STYLE principle 7: plan purely, apply thinly): process faults through process_applier.h,
// partitions and packet faults through partition_applier.h on the network's links, clock faults through the
// target's set_clock_offset.
//
// Errors: a TargetError that says what could not be done (a node that did not restart, a
// clock a paused node did not take, no network control for a partition). Every part of an
// action is tried even when one fails, so healing does as much as it can.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "adapter/target.h"
#include "nemesis_planner.h"
#include "proxy/link_state.h"

namespace faultline {

struct NemesisEnvironment {
  Target& target;
  proxy::NetworkLinks* links = nullptr;  // the network's control; null when it has none
  std::vector<std::string> nodes;        // every node of the network, in the target's order
  // Waits this long (a strobe's period); false when the run is being stopped, which ends a
  // strobe early (with the clocks put back).
  std::function<bool(std::int64_t wait_ms)> wait;
};

// Carries out `action`, planned in `before`. `done`, when given, receives what the action
// found and did beyond its plan (a corrupt's files and offsets: process_applier.h), else stays null.
TargetResult<void> apply_nemesis_action(NemesisEnvironment& environment, const NemesisState& before,
                                        const NemesisAction& action, nlohmann::json* done = nullptr);

}  // namespace faultline
