// A process fault as data: what the nemesis does to which nodes. The names here are the
// history's: a fault is recorded as a nemesis op pair (invoke, then info once it is in place)
// with f = the fault's name and value = the nodes, and reports shade a window per node from
// the fault that starts it (kill, pause, power-loss) to the one that ends it (restart, resume).
// A power loss is a kill that also drops what the node wrote but did not fsync (its data
// directory is a faultline-lazyfs mount: nemesis/lazyfs/README.md); a restart ends it too.
// A corrupt is a kill of one node whose data files are then damaged as its plan says
// (targets/adapter/file_corruption.h); its value is {node: plan}, and a restart ends it.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapter/file_corruption.h"
#include "history/op.h"

namespace faultline {

enum class FaultKind { kill, restart, pause, resume, power_loss, corrupt };

struct Fault {
  FaultKind kind = FaultKind::kill;
  std::vector<std::string> nodes;  // sorted, no duplicates
  std::optional<FileCorruption> corruption = std::nullopt;  // corrupt: what is done to its one node's files

  bool operator==(const Fault&) const = default;
};

// The one place the names are spelled.
inline constexpr std::string_view fault_kill = "kill";
inline constexpr std::string_view fault_restart = "restart";
inline constexpr std::string_view fault_pause = "pause";
inline constexpr std::string_view fault_resume = "resume";
inline constexpr std::string_view fault_power_loss = "power-loss";
inline constexpr std::string_view fault_corrupt = "corrupt";

std::string_view fault_name(FaultKind kind);
std::optional<FaultKind> parse_fault_name(std::string_view name);

// A fault that begins a window (kill, pause, power-loss) and the one that closes it.
struct FaultWindowKind {
  FaultKind begins;
  FaultKind ends;
  std::string_view label;  // for reports: "killed", "paused"
};
inline constexpr FaultWindowKind fault_window_kinds[] = {
    {FaultKind::kill, FaultKind::restart, "killed"},
    {FaultKind::pause, FaultKind::resume, "paused"},
    {FaultKind::power_loss, FaultKind::restart, "power lost"},
    {FaultKind::corrupt, FaultKind::restart, "files corrupted"},
};

// The history's value for a fault: the nodes, as a JSON array; for corrupt, {node: plan}
// (file_corruption_value).
nlohmann::json fault_value(const Fault& fault);
// The fault a nemesis op records, or nullopt when the op is no process fault (another
// nemesis's op, or a value that is not an array of node names, nor for corrupt one node's plan).
std::optional<Fault> fault_of(const Op& op);

// Whether `kind` begins a window (kill, pause, power-loss) rather than ends one.
bool begins_window(FaultKind kind);

// "kill n1 n3", for people (progress lines, logs).
std::string describe(const Fault& fault);

}  // namespace faultline
