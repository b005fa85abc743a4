// The search of `faultline shrink`, pure: given a fault schedule that reproduces an anomaly and a
// way to try a candidate, find a smaller one that still does (the running, the tries and the
// anomaly classes are shrink_command's).
//
// 1. Fewer faults: delta debugging (Zeller's ddmin) over the schedule's faults (fault_groups.h),
//    after trying no fault at all.
// 2. Shorter windows: each fault's ending actions moved halfway towards its beginning, again
//    while that still reproduces (at most 3 times, never below 0.2 s).
// 3. An earlier stop: the time limit halved towards the last action before it (at least
//    `min_time_limit_s`).
// The candidate that reproduced last is the result; `reproduces` returning nullopt (Ctrl-C, out
// of time) ends the search there, with the best found so far.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "recorded_schedule.h"

namespace faultline {

struct ShrinkCandidate {
  std::vector<TimedAction> schedule;
  double time_limit_s = 0;
  std::size_t faults = 0;  // faults in `schedule`
  std::string change;      // what this candidate changes from the best so far, for the log
};

using Reproduces = std::function<std::optional<bool>(const ShrinkCandidate&)>;

struct ShrinkOutcome {
  ShrinkCandidate best;
  bool stopped = false;  // `reproduces` ended the search early
};

ShrinkOutcome shrink_schedule(const std::vector<TimedAction>& schedule, double time_limit_s, double min_time_limit_s,
                              const Reproduces& reproduces);

}  // namespace faultline
