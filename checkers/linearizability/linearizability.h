// The linearizability checker: is there a total order of the history's operations, consistent
// with real time, that the model accepts? `fail` ops did not happen; `info` ops (and ops never
// completed) may have happened at any point after their invocation, or never.
//
// Wing-Gong/Lowe search with memoization of (linearized set, state), split per key
// (P-compositionality), keys checked in parallel. Out of time or memory budget: unknown,
// never valid.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <functional>

#include <nlohmann/json.hpp>

#include "history/history.h"
#include "models/model.h"
#include "verdict.h"

namespace faultline {

std::size_t half_of_physical_memory_bytes();

struct LinearizabilityOptions {
  const Model* model = find_model("cas-register");
  nlohmann::json initial = nullptr;              // the register's value before the first op
  ModelConventions conventions;                  // of the tool that recorded the history
  std::chrono::milliseconds time_limit{0};       // 0: no limit
  // What the search's memo may hold, over all keys; past it the verdict is unknown. The
  // default, half the machine's memory, keeps a hopeless search from being killed by the OS.
  std::size_t memory_limit_bytes = half_of_physical_memory_bytes();
  unsigned threads = 0;                          // 0: one per core
  // The clock the time limit is measured with (injected, so tests can run out of time).
  std::function<std::chrono::steady_clock::time_point()> clock = std::chrono::steady_clock::now;
};

// A limit given in seconds as a search's time limit: 0 is no limit; any positive number, however
// small, is a limit of at least 1 ms (never rounded down to "no limit").
inline std::chrono::milliseconds time_limit_of_seconds(double seconds) {
  if (!(seconds > 0)) return std::chrono::milliseconds{0};
  return std::max(std::chrono::milliseconds{1}, std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(seconds * 1000))));
}

// The verdict, and in `details`:
//   "model", "ops" (client operations), "keys",
//   "anomaly" when invalid: {"key", "op": {index, process, f, value, invoke_index, complete_index},
//     "linearized": [...the longest linearizable order found before it...],
//     "concurrent": [...ops overlapping it...], "states": [...], "explanation": "..."},
//   "unknown_keys" / "reason" when unknown.
// An op that does not fit the model is an InputError naming the history's source and line.
Expected<CheckResult> check_linearizability(const History& history, const LinearizabilityOptions& options);

}  // namespace faultline
