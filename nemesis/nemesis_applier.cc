#include "nemesis_applier.h"

#include <chrono>

#include "partition_applier.h"
#include "process_applier.h"

namespace faultline {

namespace {

void add_error(std::string& errors, const std::string& error) {
  if (!error.empty()) errors += (errors.empty() ? "" : "; ") + error;
}

std::string set_clocks(Target& target, const ClockOffsets& offsets, const ClockFault& fault) {
  std::string errors;
  for (const auto& entry : fault.deltas_ms) {
    const auto offset = offsets.find(entry.first);
    if (auto set = target.set_clock_offset(entry.first, offset == offsets.end() ? 0 : offset->second); !set)
      add_error(errors, set.error().message);
  }
  return errors;
}

// Flips each node between its offset and offset + delta every period for the duration, and
// leaves it at its offset.
std::string strobe_clocks(NemesisEnvironment& environment, const ClockOffsets& base, const ClockFault& fault) {
  using Clock = std::chrono::steady_clock;
  const auto end = Clock::now() + std::chrono::milliseconds(fault.strobe_duration_ms);
  ClockOffsets shifted = base;
  for (const auto& [node, delta] : fault.deltas_ms) shifted[node] += delta;
  std::string errors;
  bool flipped = false;
  while (Clock::now() < end) {
    flipped = !flipped;
    const std::string error = set_clocks(environment.target, flipped ? shifted : base, fault);
    if (errors.empty()) add_error(errors, error);  // one period's errors say enough
    if (!environment.wait(fault.strobe_period_ms)) break;
  }
  add_error(errors, set_clocks(environment.target, base, fault));
  return errors;
}

}  // namespace

TargetResult<void> apply_nemesis_action(NemesisEnvironment& environment, const NemesisState& before,
                                        const NemesisAction& action, nlohmann::json* done) {
  if (const Fault* fault = std::get_if<Fault>(&action)) return apply_process_fault(environment.target, *fault, done);
  std::string errors;
  if (std::holds_alternative<PartitionChange>(action) || std::holds_alternative<PacketChange>(action)) {
    if (environment.links == nullptr)
      return std::unexpected(TargetError{"this run's network has no control of its links"});
    const NemesisState after = state_after(before, action);
    add_error(errors, apply_network_faults(*environment.links, environment.nodes, after.partition, after.packet));
  } else {
    const ClockFault& fault = std::get<ClockFault>(action);
    if (fault.kind == ClockFaultKind::strobe) errors = strobe_clocks(environment, before.clocks, fault);
    else errors = set_clocks(environment.target, offsets_after(before.clocks, fault), fault);
  }
  if (!errors.empty()) return std::unexpected(TargetError{errors});
  return {};
}

}  // namespace faultline
