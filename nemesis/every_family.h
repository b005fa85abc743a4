// For tests: planner options with every fault family enabled on `nodes`.
#pragma once

#include <string>
#include <vector>

#include "nemesis_planner.h"

namespace faultline {

inline NemesisPlannerOptions every_family(const std::vector<std::string>& nodes) {
  NemesisPlannerOptions options;
  options.processes = ProcessPlannerOptions{};
  options.processes->nodes = nodes;
  options.processes->power_loss_enabled = true;
  options.partitions = PartitionPlannerOptions{};
  options.partitions->nodes = nodes;
  options.clocks = ClockPlannerOptions{};
  options.clocks->nodes = nodes;
  options.packets = PacketPlannerOptions{};
  options.packets->nodes = nodes;
  return options;
}

}  // namespace faultline
