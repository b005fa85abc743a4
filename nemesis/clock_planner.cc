#include "clock_planner.h"

#include <cassert>
#include <set>

#include "../workloads/random_choice.h"

namespace faultline {

std::string_view clock_fault_name(ClockFaultKind kind) {
  switch (kind) {
    case ClockFaultKind::bump:
      return fault_clock_bump;
    case ClockFaultKind::strobe:
      return fault_clock_strobe;
    case ClockFaultKind::reset:
      return fault_clock_reset;
  }
  return "?";
}

std::string validate_clock_planner_options(const ClockPlannerOptions& options) {
  if (options.nodes.empty()) return "the clock nemesis needs at least one node";
  if (std::set<std::string>(options.nodes.begin(), options.nodes.end()).size() != options.nodes.size())
    return "the clock nemesis was given a node twice";
  if (options.delta_ms_min < 1 || options.delta_ms_min > options.delta_ms_max)
    return "clock deltas: need 1 <= min (" + std::to_string(options.delta_ms_min) + " ms) <= max (" +
           std::to_string(options.delta_ms_max) + " ms)";
  if (options.strobe_period_ms < 1 || options.strobe_period_ms >= options.strobe_duration_ms)
    return "clock strobe: the period (" + std::to_string(options.strobe_period_ms) +
           " ms) must be at least 1 ms and below the duration (" + std::to_string(options.strobe_duration_ms) + " ms)";
  const ClockFaultWeights& w = options.weights;
  if (w.bump < 0 || w.strobe < 0 || w.reset < 0) return "clock fault weights must not be negative";
  if (w.bump == 0 && w.strobe == 0) return "the clock nemesis needs bump or strobe with a positive weight";
  if (w.reset == 0) return "clock reset needs a positive weight, or shifted clocks never come back";
  return "";
}

std::optional<ClockFault> next_clock_fault(const ClockOffsets& offsets, const std::vector<std::string>& eligible,
                                           const ClockPlannerOptions& options, std::mt19937_64& random) {
  assert(validate_clock_planner_options(options).empty());
  std::vector<Weighted<ClockFaultKind>> possible;
  if (!eligible.empty()) {
    possible.push_back({ClockFaultKind::bump, options.weights.bump});
    possible.push_back({ClockFaultKind::strobe, options.weights.strobe});
  }
  if (!offsets.empty()) possible.push_back({ClockFaultKind::reset, options.weights.reset});
  const std::optional<ClockFaultKind> kind = choose_weighted(random, possible);
  if (!kind) return std::nullopt;
  if (*kind == ClockFaultKind::reset) return reset_clocks(offsets);

  ClockFault fault{*kind, {}, 0, 0};
  const std::int64_t span = options.delta_ms_max - options.delta_ms_min + 1;
  for (const std::string& node : choose_some(random, eligible, eligible.size())) {
    const std::int64_t magnitude = options.delta_ms_min + uniform_below(random, span);
    fault.deltas_ms[node] = uniform_below(random, 2) == 0 ? -magnitude : magnitude;
  }
  if (*kind == ClockFaultKind::strobe) {
    fault.strobe_period_ms = options.strobe_period_ms;
    fault.strobe_duration_ms = options.strobe_duration_ms;
  }
  return fault;
}

ClockOffsets offsets_after(ClockOffsets offsets, const ClockFault& fault) {
  switch (fault.kind) {
    case ClockFaultKind::bump:
      for (const auto& [node, delta] : fault.deltas_ms)
        if ((offsets[node] += delta) == 0) offsets.erase(node);
      break;
    case ClockFaultKind::strobe:
      break;
    case ClockFaultKind::reset:
      for (const auto& entry : fault.deltas_ms) offsets.erase(entry.first);
      break;
  }
  return offsets;
}

std::optional<ClockFault> reset_clocks(const ClockOffsets& offsets) {
  if (offsets.empty()) return std::nullopt;
  ClockFault fault{ClockFaultKind::reset, {}, 0, 0};
  for (const auto& entry : offsets) fault.deltas_ms[entry.first] = 0;
  return fault;
}

nlohmann::json clock_fault_value(const ClockFault& fault) {
  switch (fault.kind) {
    case ClockFaultKind::bump:
      return fault.deltas_ms;
    case ClockFaultKind::strobe:
      return {{"deltas_ms", fault.deltas_ms},
              {"period_ms", fault.strobe_period_ms},
              {"duration_ms", fault.strobe_duration_ms}};
    case ClockFaultKind::reset: {
      nlohmann::json nodes = nlohmann::json::array();
      for (const auto& entry : fault.deltas_ms) nodes.push_back(entry.first);
      return nodes;
    }
  }
  return nullptr;
}

std::string describe(const ClockFault& fault) {
  std::string text(clock_fault_name(fault.kind));
  for (const auto& [node, delta] : fault.deltas_ms) {
    text += " " + node;
    if (fault.kind != ClockFaultKind::reset) text += " " + std::string(delta > 0 ? "+" : "") + std::to_string(delta) + "ms";
  }
  return text;
}

}  // namespace faultline
