// The set checker, after Jepsen's set-full: clients add unique elements to a set and read it
// back; which acknowledged elements went missing, which came from nowhere, twice, or late.
//
// Ops it reads (others, nemesis ops included, are ignored):
//   f "add"   value: the element, an integer
//   f "read"  ok value: the elements, a JSON array of integers read as a multiset (an element
//             stored twice appears twice, so duplicates can be seen)
//
// Terms:
//   known        an element is known from the completion of its ok add; when its add's
//                outcome is unknown (info, never completed), from the completion of the
//                first read that saw it. A failed add is never known.
//   final reads  the ok reads invoked after every add had ended (its completion, or its
//                invocation when it never completed): nothing was being added while they
//                ran. The harness's final reads are these; a read of the run that happens to
//                begin after the last add ended is as good a witness and counts too.
//
// Results, each a list of elements (at most set_elements_listed_max, plus a full count):
//   lost                known, but absent from a final read that began after it was known
//   unexpected          read, but never added
//   duplicated          appears more than once in one read
//   failed_but_present  its add failed (certainly not applied: STYLE principle 4), yet a read
//                       saw it
//   late                known, absent from some read that began after it was known, and seen
//                       again by a read that began later: a stale read, not a loss
//   recovered           its add's outcome was unknown, and a final read saw it
//
// Verdict: invalid when lost, unexpected, duplicated or failed_but_present is non-empty;
// otherwise unknown when there is no final read (nothing says whether the adds survived);
// otherwise valid. Late elements alone keep the verdict valid, as in Jepsen's set-full, which
// counts stale reads against a store only when it claims to be linearizable (the register
// workloads test that claim); they are still listed for the report.
//
// A read whose value is not an array of integers, or an add whose value is not an integer,
// does not fit the checker: unknown with the reason and the op's index, never a crash.
#pragma once

#include <cstddef>

#include "history/history.h"
#include "verdict.h"

namespace faultline {

// How many elements each result lists; the counts are always complete.
inline constexpr std::size_t set_elements_listed_max = 100;

// The verdict, and in `details` a SetResult (results/set_result.h) as JSON; when the history
// does not fit the checker, only its "reason".
CheckResult check_set(const History& history);

}  // namespace faultline
