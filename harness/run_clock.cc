#include "run_clock.h"

#include <algorithm>
#include <thread>

#include "interrupt.h"

namespace faultline {

bool sleep_until(RunClock::Clock::time_point deadline, const std::atomic<bool>& stop) {
  // Signal handlers cannot wake a condition variable, so the stop flags are polled.
  while (true) {
    if (stop.load() || interrupt_requested()) return false;
    const auto now = RunClock::Clock::now();
    if (now >= deadline) return true;
    std::this_thread::sleep_for(std::min<RunClock::Clock::duration>(deadline - now, interrupt_poll_interval));
  }
}

}  // namespace faultline
