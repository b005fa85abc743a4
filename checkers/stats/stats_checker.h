// The stats checker, after Jepsen's: how many client operations of each function ended ok,
// fail or info. Informational, with one warning sign: a function that never succeeded
// usually means the test exercised nothing (every cas failed, the cluster never came up).
#pragma once

#include "history/history.h"
#include "verdict.h"

namespace faultline {

// The verdict, and in `details`:
//   "count", "ok_count", "fail_count", "info_count" over all client ops (an op that never
//   completed counts as info), and "by_f": {f: {"count", "ok_count", "fail_count", "info_count"}}.
// valid; unknown with a "reason" when there are no client ops, or when some function never
// ended ok ("never_ok": [f...]). Jepsen calls the latter invalid; here it is unknown, because
// it says the test could not tell, not that the system is wrong.
CheckResult check_stats(const History& history);

}  // namespace faultline
