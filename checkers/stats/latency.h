// The latency checker: how long successful client operations took, per function, and how
// many succeeded per second. Informational: a slow system is not a wrong one.
//
// Latency is completion time - invocation time of ok ops (a fail or info op's time says how
// long the client waited, not how long the system took to do something). Quantiles are by
// nearest rank: p50 of [1, 2, 3, 4] is 2, and every quantile is a latency that occurred.
#pragma once

#include <cstdint>
#include <vector>

#include "history/history.h"
#include "verdict.h"

namespace faultline {

// The value at quantile `q` (0 < q <= 1) of `sorted` (ascending, not empty), by nearest rank.
std::int64_t nearest_rank_quantile(const std::vector<std::int64_t>& sorted, double q);

// The verdict (valid; unknown when there are no client ops), and in `details` a LatencyResult
// (results/measurement_results.h) as JSON: per function and over all ok ops ("all"), the
// quantiles; the duration from the first client invocation to the last client completion, and
// ok ops per second over it.
CheckResult check_latency(const History& history);

}  // namespace faultline
