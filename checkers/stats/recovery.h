// The recovery checker: did the system serve again once every fault was repaired? A run heals
// everything at the end of its fault phase and keeps its clients going through a recovery
// phase; a cluster that never comes back (a node that cannot rejoin, a lost leader) passes
// every safety checker, since refusing everything is safe. This checker makes it visible.
//
// The heal is when the last fault window closed (availability.h: faults_repaired). Verdict:
//   valid    an operation invoked after the heal succeeded (details: how long after the heal
//            the first one completed); also a history without nemesis ops (nothing to recover from)
//   invalid  operations were invoked after the heal and none succeeded
//   unknown  no client operation was invoked after the heal (the run ended too early to tell),
//            or a fault was still in place at the end (an interrupted or crashed run)
// Details: "heal_time_ns", "after_heal": {"count", "ok_count", "fail_count", "info_count"},
// "first_ok_after_heal_ms", "reason" for people.
#pragma once

#include "history/history.h"
#include "verdict.h"

namespace faultline {

CheckResult check_recovery(const History& history);

}  // namespace faultline
