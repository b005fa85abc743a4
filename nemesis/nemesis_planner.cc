#include "nemesis_planner.h"

#include <cassert>

#include "../workloads/random_choice.h"

namespace faultline {

namespace {

enum class Family { processes, partitions, clocks, packets };

std::vector<std::string> clock_eligible(const NemesisState& state, const ClockPlannerOptions& options) {
  std::vector<std::string> eligible;
  for (const std::string& node : options.nodes)
    if (state.processes.healthy(node)) eligible.push_back(node);
  return eligible;
}

}  // namespace

std::string validate_nemesis_planner_options(const NemesisPlannerOptions& options) {
  if (options.processes)
    if (std::string problem = validate_process_planner_options(*options.processes); !problem.empty()) return problem;
  if (options.partitions)
    if (std::string problem = validate_partition_planner_options(*options.partitions); !problem.empty())
      return problem;
  if (options.clocks)
    if (std::string problem = validate_clock_planner_options(*options.clocks); !problem.empty()) return problem;
  if (options.packets)
    if (std::string problem = validate_packet_planner_options(*options.packets); !problem.empty()) return problem;
  return "";
}

std::optional<NemesisAction> next_nemesis_action(const NemesisState& state, const NemesisPlannerOptions& options,
                                                 std::mt19937_64& random) {
  assert(validate_nemesis_planner_options(options).empty());
  std::vector<Weighted<Family>> families;
  if (options.processes) {
    std::mt19937_64 probe = random;  // whether the family can act, without drawing from `random`
    if (next_fault(state.processes, *options.processes, probe)) families.push_back({Family::processes, 1});
  }
  if (options.partitions) families.push_back({Family::partitions, 1});
  if (options.packets) families.push_back({Family::packets, 1});
  if (options.clocks && (!clock_eligible(state, *options.clocks).empty() || !state.clocks.empty()))
    families.push_back({Family::clocks, 1});
  // One family alone draws nothing here, so a run with process faults only replays the
  // process planner's sequence exactly.
  const std::optional<Family> family =
      families.size() == 1 ? std::optional<Family>(families.front().choice) : choose_weighted(random, families);
  if (!family) return std::nullopt;
  switch (*family) {
    case Family::processes:
      return *next_fault(state.processes, *options.processes, random);
    case Family::partitions:
      if (state.partition) return PartitionChange{false, *state.partition};
      return PartitionChange{true, next_partition(*options.partitions, random)};
    case Family::packets:
      if (state.packet) return PacketChange{false, *state.packet};
      return PacketChange{true, next_packet_fault(*options.packets, random)};
    case Family::clocks:
      if (auto fault = next_clock_fault(state.clocks, clock_eligible(state, *options.clocks), *options.clocks, random))
        return *fault;
      return std::nullopt;
  }
  return std::nullopt;
}

NemesisState state_after(NemesisState state, const NemesisAction& action) {
  if (const Fault* fault = std::get_if<Fault>(&action)) {
    state.processes = state_after(state.processes, *fault);
    if (fault->kind == FaultKind::restart)
      for (const std::string& node : fault->nodes) state.clocks.erase(node);
  } else if (const PartitionChange* change = std::get_if<PartitionChange>(&action)) {
    if (change->start) state.partition = change->partition;
    else state.partition.reset();
  } else if (const PacketChange* packet = std::get_if<PacketChange>(&action)) {
    if (packet->start) state.packet = packet->fault;
    else state.packet.reset();
  } else {
    state.clocks = offsets_after(std::move(state.clocks), std::get<ClockFault>(action));
  }
  return state;
}

std::vector<NemesisAction> heal_everything(const NemesisState& state) {
  std::vector<NemesisAction> heals;
  for (const Fault& fault : heal_all(state.processes)) heals.emplace_back(fault);
  if (state.partition) heals.emplace_back(PartitionChange{false, *state.partition});
  if (state.packet) heals.emplace_back(PacketChange{false, *state.packet});
  // After the restarts, whose nodes come back with their clocks right.
  NemesisState healed = state;
  for (const NemesisAction& heal : heals) healed = state_after(std::move(healed), heal);
  if (auto reset = reset_clocks(healed.clocks)) heals.emplace_back(*reset);
  return heals;
}

std::vector<std::string> describe_active(const NemesisState& state) {
  std::vector<std::string> text;
  for (const Fault& fault : active_faults(state.processes)) text.push_back(describe(fault));
  if (state.partition) text.push_back("partition " + describe(*state.partition));
  if (state.packet) text.push_back(describe(*state.packet));
  for (const auto& [node, offset] : state.clocks)
    text.push_back("clock " + node + " " + (offset > 0 ? "+" : "") + std::to_string(offset) + "ms");
  return text;
}

std::string_view action_name(const NemesisAction& action) {
  if (const Fault* fault = std::get_if<Fault>(&action)) return fault_name(fault->kind);
  if (const PartitionChange* change = std::get_if<PartitionChange>(&action))
    return change->start ? fault_start_partition : fault_stop_partition;
  if (const PacketChange* packet = std::get_if<PacketChange>(&action))
    return packet->start ? fault_start_packet : fault_stop_packet;
  return clock_fault_name(std::get<ClockFault>(action).kind);
}

nlohmann::json action_value(const NemesisAction& action) {
  if (const Fault* fault = std::get_if<Fault>(&action)) return fault_value(*fault);
  if (const PartitionChange* change = std::get_if<PartitionChange>(&action))
    return change->start ? partition_value(change->partition) : nlohmann::json("healed");
  if (const PacketChange* packet = std::get_if<PacketChange>(&action))
    return packet->start ? packet_fault_value(packet->fault) : nlohmann::json("healed");
  return clock_fault_value(std::get<ClockFault>(action));
}

std::string describe(const NemesisAction& action) {
  if (const Fault* fault = std::get_if<Fault>(&action)) return describe(*fault);
  if (const PartitionChange* change = std::get_if<PartitionChange>(&action))
    return std::string(change->start ? "partition " : "heal partition ") + describe(change->partition);
  if (const PacketChange* packet = std::get_if<PacketChange>(&action))
    return std::string(packet->start ? "packet " : "end packet ") + describe(packet->fault);
  return describe(std::get<ClockFault>(action));
}

}  // namespace faultline
