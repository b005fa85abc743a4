#include "process_applier.h"

namespace faultline {

namespace {

void append_error(std::string& errors, const std::string& error) {
  if (!errors.empty()) errors += "\n";
  errors += error;
}

void append_error(std::string& errors, const TargetError& error) { append_error(errors, error.message); }

}  // namespace

TargetResult<void> apply_process_fault(Target& target, const Fault& fault, nlohmann::json* done) {
  std::string errors;
  for (const std::string& node : fault.nodes) {
    switch (fault.kind) {
      case FaultKind::kill:
        target.kill(node);
        break;
      case FaultKind::pause:
        target.pause(node);
        break;
      case FaultKind::resume:
        target.resume(node);
        break;
      case FaultKind::power_loss:
        if (auto lost = target.lose_power(node); !lost) append_error(errors, lost.error().message);
        break;
      case FaultKind::corrupt: {
        if (!fault.corruption) {
          append_error(errors, "corrupt " + node + ": the fault carries no plan");
          break;
        }
        auto corrupted = target.corrupt_files(node, *fault.corruption);
        if (!corrupted) append_error(errors, corrupted.error().message);
        else if (done) (*done)[node] = *corrupted;
        break;
      }
      case FaultKind::restart:
        if (auto restarted = target.restart(node); !restarted) append_error(errors, restarted.error());
        break;
    }
  }
  if (!errors.empty()) return std::unexpected(TargetError{errors});
  return {};
}

TargetResult<void> apply_process_faults(Target& target, const std::vector<Fault>& faults) {
  std::string errors;
  for (const Fault& fault : faults)
    if (auto applied = apply_process_fault(target, fault); !applied) append_error(errors, applied.error());
  if (!errors.empty()) return std::unexpected(TargetError{errors});
  return {};
}

}  // namespace faultline
