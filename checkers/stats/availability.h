// The availability checker: how many client operations the system answered while a fault was
// in place, and how many outside, overall and per fault window. An answer is an ok, or a fail
// the client marked "answered" (op.h: a failed compare, a lock held by another): the system
// working. A refusal ("no leader", 503), an unreachable node or a timeout is not. The share
// of ok operations is kept beside it. Informational: a CP system is allowed to refuse service
// during a partition; the numbers say how much it did.
//
// Fault windows come from the nemesis ops in the history. The nemesis records each action as
// an invocation and a completion carrying the same f and value; the completion time is when
// the fault (or its repair) is in place, so only completions count (a failed one changes
// nothing). Which f opens a window and which closes it is the one table `fault_window_kinds` below:
// the only place to touch when the nemesis learns a new fault.
// When values are lists of nodes (the process faults of nemesis/fault.h), a closing op repairs
// its nodes in every open window of its kind, and a window ends when none of its nodes is
// left faulty (kill [n1 n3], restart [n1], restart [n3]: one window, ended by the second
// restart). Otherwise a closing op closes the open windows of its kind with the same value;
// when it names no nodes and touches no window it closes every open window of its kind
// (heal ends all partitions). A window still open at the end lasts until the end of the history.
// A client op is inside a window when it was invoked while the window was open.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "history/history.h"
#include "verdict.h"

namespace faultline {

struct FaultWindowKind {
  std::string_view name;     // for the report: "killed", "partitioned", ... (as nemesis/fault.h labels them)
  std::string_view start_f;  // the nemesis f that puts the fault in place
  std::string_view end_f;    // the nemesis f that repairs it
  // Another nemesis f that repairs it for the nodes it names: faultline's restart starts a
  // fresh node process, whose clock is right again (the nemesis then resets only the others).
  std::string_view also_end_f = {};
};

inline constexpr FaultWindowKind fault_window_kinds[] = {
    {"killed", "kill", "restart"},        {"paused", "pause", "resume"},
    {"power lost", "power-loss", "restart"},  // a kill that loses un-fsynced writes (nemesis/fault.h)
    {"files corrupted", "corrupt", "restart"},  // a kill whose node's files are damaged: value {node: plan}
    {"partitioned", "partition", "heal"}, {"clock bumped", "clock-bump", "clock-reset", "restart"},
    {"partitioned", "start-partition", "stop-partition"},  // nemesis/partition_planner.h, as Jepsen names them
    {"slow or lossy network", "start-packet", "stop-packet"},  // nemesis/packet_planner.h
    {"fault", "start", "stop"},  // Jepsen's generic nemesis, for imported histories
};

// How many windows the details list; the inside/outside totals always cover all of them.
inline constexpr std::size_t availability_windows_listed_max = 1000;

// The verdict (valid; unknown when there are no client ops), and in `details` an
// AvailabilityResult (results/measurement_results.h) as JSON: the operations invoked inside and
// outside fault windows, the windows, and the nemesis fs not in the table above. An op that
// never completed counts as info, unanswered.
CheckResult check_availability(const History& history);

// Whether the history has fault windows, and when the last of them closed: nullopt when one is
// still open at the end (an interrupted run, a crashed controller) or there were none.
struct FaultsRepaired {
  bool any = false;
  std::optional<std::int64_t> last_repair_ns;
};
FaultsRepaired faults_repaired(const History& history);

}  // namespace faultline
