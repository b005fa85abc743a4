// The lock holders checker: how often two clients believed they held a lock at once (the
// mutex model over acquire and release, as a measurement). A lock with a lease can have two
// holders at once by design; whether that loses data is the set checker's verdict, so this one
// reports and stays valid (unknown when there was nothing to measure).
//
// A process holds the lock from the completion of its ok acquire to the invocation of its next
// release; one that never invoked a release (its add's outcome was unknown, so it retired)
// holds it until the completion of its last op. Two holds overlap when they share a moment.
// Details: "sections" (ok acquires), "overlapping_sections" (those that overlap another),
// "holders_max" (most holders at one moment), "overlaps" (the first few pairs: processes and
// the moment both held, for the report), "reason" for people.
#pragma once

#include <cstddef>

#include "history/history.h"
#include "verdict.h"

namespace faultline {

inline constexpr std::size_t lock_overlaps_listed_max = 20;

CheckResult check_lock_holders(const History& history);

}  // namespace faultline
