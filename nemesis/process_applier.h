// Carries out a planned process fault on a target (STYLE principle 7: plan purely, apply
// thinly): kill, pause and resume are signals to the nodes' process groups; power-loss is the
// target's lose_power (kill, then its data directory loses what was not fsynced); corrupt is
// the target's corrupt_files (kill, then the plan done to its data files); restart
// starts a node again on its old address and data and waits until it is healthy.
//
// Errors: restart can fail (the node does not come back; the TargetError names the node and
// quotes its log), and so can power-loss (a target without faultline-lazyfs disks) and
// corrupt (a target whose data files the harness cannot reach, a file not changed). Every node of the fault is tried even when one fails, so healing does
// as much as it can.
#pragma once

#include <vector>

#include "adapter/target.h"
#include "fault.h"

namespace faultline {

// `done`, when given, receives what a corrupt did ({node: what corrupt_files returned}), for
// the history; it is left alone for the other faults.
TargetResult<void> apply_process_fault(Target& target, const Fault& fault, nlohmann::json* done = nullptr);

// Each of `faults` in order (e.g. heal_all's), all of them even when one fails; the error
// joins every failure.
TargetResult<void> apply_process_faults(Target& target, const std::vector<Fault>& faults);

}  // namespace faultline
