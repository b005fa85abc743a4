// Time in a run: nanoseconds since the test started (the history's clock), and sleeps that
// end early when the run is told to stop or the controller is interrupted.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace faultline {

inline constexpr std::chrono::milliseconds interrupt_poll_interval{50};

class RunClock {
 public:
  using Clock = std::chrono::steady_clock;
  RunClock() : start_(Clock::now()) {}

  std::int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_).count();
  }
  double elapsed_s() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  Clock::time_point at(double seconds_since_start) const {
    return start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds_since_start));
  }

 private:
  Clock::time_point start_;
};

// Sleeps until `deadline`; returns false early when `stop` is set or an interrupt arrives.
bool sleep_until(RunClock::Clock::time_point deadline, const std::atomic<bool>& stop);

}  // namespace faultline
