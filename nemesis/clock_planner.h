// The clock nemesis's plan: whose clock to shift, by how much, and when to set it right. Pure
// and seeded (STYLE principles 7, 8), like the process planner. A node's clock is the real
// clock plus an offset the nemesis sets (the bundled node: POST /admin/clock); it matters to
// systems that order writes by wall-clock time (quorum --timestamps wallclock: last write
// wins, so a node whose clock runs behind loses its writes to older ones).
//
// The faults, after Jepsen's clock nemesis:
//   bump    shift some nodes' clocks by a drawn ±delta each (offsets add up)
//   strobe  flip some nodes' clocks between their offset and offset+delta every period, for
//           a duration; the clocks end where they began
//   reset   set every shifted clock right (offset 0)
// Only possible faults get weight: no reset when no clock is shifted.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "history/op.h"

namespace faultline {

// The history's f for each fault (availability shades clock-bump .. clock-reset).
inline constexpr std::string_view fault_clock_bump = "clock-bump";
inline constexpr std::string_view fault_clock_strobe = "clock-strobe";
inline constexpr std::string_view fault_clock_reset = "clock-reset";

enum class ClockFaultKind { bump, strobe, reset };

struct ClockFault {
  ClockFaultKind kind = ClockFaultKind::bump;
  // bump: node -> delta added to its offset; strobe: node -> delta of the flip; reset: node -> 0.
  std::map<std::string, std::int64_t> deltas_ms;
  std::int64_t strobe_period_ms = 0;    // strobe only
  std::int64_t strobe_duration_ms = 0;  // strobe only

  bool operator==(const ClockFault&) const = default;
};

// node -> its clock's offset from the real clock; nodes at 0 are absent.
using ClockOffsets = std::map<std::string, std::int64_t>;

struct ClockFaultWeights {
  int bump = 2;
  int strobe = 1;
  int reset = 2;
};

struct ClockPlannerOptions {
  std::vector<std::string> nodes;
  // A bump or strobe delta is drawn uniformly from [delta_ms_min, delta_ms_max], with a random sign.
  std::int64_t delta_ms_min = 100;
  std::int64_t delta_ms_max = 10'000;
  std::int64_t strobe_period_ms = 20;
  std::int64_t strobe_duration_ms = 1'000;
  ClockFaultWeights weights;
};

// What is wrong with `options` (no nodes, a node twice, deltas not 1 <= min <= max, a period
// not below the duration, a negative weight, bump and strobe both weightless); empty when usable.
std::string validate_clock_planner_options(const ClockPlannerOptions& options);

// The next fault, on 1..N of `eligible` (the nodes that can take it now; the caller leaves out
// nodes that are down); nullopt when none is possible. `options` must be valid.
std::optional<ClockFault> next_clock_fault(const ClockOffsets& offsets, const std::vector<std::string>& eligible,
                                           const ClockPlannerOptions& options, std::mt19937_64& random);

// The offsets once `fault` is carried out (a strobe leaves them as they were).
ClockOffsets offsets_after(ClockOffsets offsets, const ClockFault& fault);

// The fault that sets every shifted clock right; nullopt when none is shifted.
std::optional<ClockFault> reset_clocks(const ClockOffsets& offsets);

std::string_view clock_fault_name(ClockFaultKind kind);

// The history's value: bump {"n1": -2300, ...} (deltas), reset ["n1", ...], strobe
// {"deltas_ms": {...}, "period_ms": p, "duration_ms": d}.
nlohmann::json clock_fault_value(const ClockFault& fault);

// "clock-bump n1 -2300ms n3 +120ms", for people.
std::string describe(const ClockFault& fault);

}  // namespace faultline
