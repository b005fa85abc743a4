// The time model the synthetic generators share (synthetic_history.h, synthetic_transactions.h):
// how long a simulated operation takes, how long a client thinks between two, and a timeout
// longer than any reply, as a client's timeout is. Plus the option checks they share.
#pragma once

#include <cstdint>
#include <sstream>
#include <string>

namespace faultline::synthetic {

inline constexpr std::int64_t op_latency_min_ns = 100'000;
inline constexpr std::int64_t op_latency_max_ns = 10'000'000;
inline constexpr std::int64_t think_time_max_ns = 2'000'000;
inline constexpr std::int64_t info_timeout_ns = 50'000'000;
static_assert(op_latency_min_ns <= op_latency_max_ns);
static_assert(info_timeout_ns > op_latency_max_ns, "a timeout fires after every reply would have come");
// An operation that timed out took effect with this chance.
inline constexpr double info_took_effect_chance = 0.5;

inline bool is_fraction(double x) { return x >= 0 && x <= 1; }  // false for NaN too

// A number as the user wrote it, for messages.
inline std::string show(double x) {
  std::ostringstream text;
  text << x;
  return text.str();
}

}  // namespace faultline::synthetic
