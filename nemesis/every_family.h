// For tests: planner options with every fault family enabled on `nodes`, and seeded plans drawn
// with them.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "nemesis_planner.h"
#include "recorded_schedule.h"

namespace faultline {

inline NemesisPlannerOptions every_family(const std::vector<std::string>& nodes) {
  NemesisPlannerOptions options;
  options.processes = ProcessPlannerOptions{};
  options.processes->nodes = nodes;
  options.processes->power_loss_enabled = true;
  options.processes->corrupt_enabled = true;
  options.partitions = PartitionPlannerOptions{};
  options.partitions->nodes = nodes;
  options.clocks = ClockPlannerOptions{};
  options.clocks->nodes = nodes;
  options.packets = PacketPlannerOptions{};
  options.packets->nodes = nodes;
  return options;
}

// `length` actions drawn from `seed`, one every `spacing_s` seconds from `spacing_s`; then, when
// `healed`, the actions that heal what is left in place, at the next step.
inline std::vector<TimedAction> seeded_plan(const std::vector<std::string>& nodes, std::uint64_t seed, int length,
                                            double spacing_s, bool healed) {
  const NemesisPlannerOptions options = every_family(nodes);
  std::mt19937_64 random(seed);
  NemesisState state;
  std::vector<TimedAction> plan;
  for (int i = 0; i < length; ++i) {
    const auto action = next_nemesis_action(state, options, random);
    if (!action) break;
    plan.push_back({spacing_s * (i + 1), *action});
    state = state_after(state, *action);
  }
  if (healed)
    for (const NemesisAction& heal : heal_everything(state)) plan.push_back({spacing_s * (length + 1), heal});
  return plan;
}

}  // namespace faultline
