// The whole nemesis's plan: process faults, partitions and clock faults together, as
// `--nemesis kill,pause,partition,clock` asks. Pure and seeded (STYLE principles 7, 8): each
// step draws one family among those enabled that can act now (equal chances), then that
// family's planner draws the action. The state tracks what is in place, so that every fault
// can be healed and a heal only comes when there is something to heal.
//
// Families: processes (kill, pause and their heals; process_planner.h), partitions (start one
// when none is in place, else stop it; partition_planner.h), packets (slow or lossy links,
// started and stopped alike; packet_planner.h), clocks (bump, strobe, reset; clock_planner.h,
// on nodes that are up and not paused).
#pragma once

#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "clock_planner.h"
#include "fault.h"
#include "packet_planner.h"
#include "partition_planner.h"
#include "process_planner.h"

namespace faultline {

// A partition put in place (start) or healed (stop; `partition` is the one healed).
struct PartitionChange {
  bool start = true;
  Partition partition;
  bool operator==(const PartitionChange&) const = default;
};

// Slow or lossy links put in place (start) or made normal again (stop; `fault` is the one ended).
struct PacketChange {
  bool start = true;
  PacketFault fault;
  bool operator==(const PacketChange&) const = default;
};

using NemesisAction = std::variant<Fault, PartitionChange, ClockFault, PacketChange>;

struct NemesisPlannerOptions {
  std::optional<ProcessPlannerOptions> processes;   // kill and/or pause enabled inside
  std::optional<PartitionPlannerOptions> partitions;
  std::optional<ClockPlannerOptions> clocks;
  std::optional<PacketPlannerOptions> packets;
};

struct NemesisState {
  ProcessFaultState processes;
  std::optional<Partition> partition;
  ClockOffsets clocks;
  std::optional<PacketFault> packet;
  bool operator==(const NemesisState&) const = default;
};

// What is wrong with any family's options (the first problem), for the user; empty when usable.
std::string validate_nemesis_planner_options(const NemesisPlannerOptions& options);

// The next action; nullopt when no enabled family can act. `options` must be valid.
std::optional<NemesisAction> next_nemesis_action(const NemesisState& state, const NemesisPlannerOptions& options,
                                                 std::mt19937_64& random);

// The state once `action` is carried out. A restarted node comes back with its clock right.
NemesisState state_after(NemesisState state, const NemesisAction& action);

// The actions that undo everything in `state`, in order: resume and restart nodes, stop the
// partition, stop the packet fault, reset the clocks. Empty when nothing is in place.
std::vector<NemesisAction> heal_everything(const NemesisState& state);

// The faults in place, for the progress line: "kill n2", "partition n1 | n2 n3", "clock n1 -300ms".
std::vector<std::string> describe_active(const NemesisState& state);

// The history's f and value of an action, and a line for people.
std::string_view action_name(const NemesisAction& action);
nlohmann::json action_value(const NemesisAction& action);
std::string describe(const NemesisAction& action);

}  // namespace faultline
