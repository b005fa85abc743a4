// The time model the synthetic generators share (synthetic_history.h, synthetic_transactions.h,
// synthetic_models.h): how long a simulated operation takes, how long a client thinks between
// two, and a timeout longer than any reply, as a client's timeout is; the events their
// simulations order by time; and the option checks they share.
#pragma once

#include <cstdint>
#include <expected>
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

// How a simulated operation ends: an info op took effect or not, by a coin.
enum class Outcome : std::uint8_t { ok, fail, info_took_effect, info_no_effect };

// A client starts an op, the op takes effect (at a point inside its interval), or completes.
enum class EventKind : std::uint8_t { start, take_effect, complete };

struct Event {
  std::int64_t time_ns;
  std::uint64_t sequence;  // ties go to the event scheduled first
  std::uint32_t client;
  EventKind kind;
};

// The order of a std::priority_queue of events: earliest first.
struct LaterEvent {
  bool operator()(const Event& x, const Event& y) const {
    return x.time_ns != y.time_ns ? x.time_ns > y.time_ns : x.sequence > y.sequence;
  }
};

inline bool is_fraction(double x) { return x >= 0 && x <= 1; }  // false for NaN too

// A number as the user wrote it, for messages.
inline std::string show(double x) {
  std::ostringstream text;
  text << x;
  return text.str();
}

// Nothing, or what is wrong with --indeterminate and --fail (shares of ops that end info, fail).
inline std::expected<void, std::string> validate_outcome_fractions(double indeterminate, double fail) {
  if (!is_fraction(indeterminate))
    return std::unexpected("--indeterminate must be a fraction between 0 and 1, got " + show(indeterminate));
  if (!is_fraction(fail)) return std::unexpected("--fail must be a fraction between 0 and 1, got " + show(fail));
  if (indeterminate + fail > 1) return std::unexpected("--indeterminate plus --fail must be at most 1, got " + show(indeterminate + fail));
  return {};
}

}  // namespace faultline::synthetic
