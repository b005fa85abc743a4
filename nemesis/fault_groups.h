// A recorded schedule cut into faults, the units `faultline shrink` removes: a fault is the
// action that puts something wrong in place together with the actions that end it — a kill and
// its restart, a pause and its resume, a partition and its heal, slow links and their end, a
// clock bump and the reset that sets that clock right. Actions that end several faults at once
// (a restart of two nodes killed apart) join those faults into one, so that removing a fault
// never leaves an end without its beginning, nor a beginning without its end. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "recorded_schedule.h"

namespace faultline {

// Indices into the schedule, ascending; the faults ordered by their first action.
using FaultGroup = std::vector<std::size_t>;

std::vector<FaultGroup> fault_groups(const std::vector<TimedAction>& schedule);

// The actions of `groups`, in the schedule's order.
std::vector<TimedAction> schedule_of(const std::vector<TimedAction>& schedule, const std::vector<FaultGroup>& groups);

// "kill n1 at 3.2 s, restart n1 at 4.0 s", for the shrink's log.
std::string describe_fault(const std::vector<TimedAction>& schedule, const FaultGroup& group);

}  // namespace faultline
