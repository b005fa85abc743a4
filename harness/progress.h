// Progress of a long run (STYLE: "a long run shows progress"): on a terminal, one status line
// redrawn in place; otherwise a plain line every progress_plain_interval.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

namespace faultline {

inline constexpr std::chrono::milliseconds progress_terminal_interval{250};

// "3m07s": how long a suite or a shrink has taken, or is expected to take.
std::string duration_text(double seconds);
inline constexpr std::chrono::seconds progress_plain_interval{5};

struct ProgressSnapshot {
  std::string phase;        // warm-up, faults, recovery, final reads
  double elapsed_s = 0;
  double planned_s = 0;
  std::int64_t ok = 0, fail = 0, info = 0;
  double ops_per_s = 0;     // completed client ops per second, recently
  std::vector<std::string> active_faults;  // "kill n2", "pause n1"
};

// The rate of a growing count over the last `window` (or since the first sample, if that is
// more recent): what a progress line shows, so that a stall shows as one.
class RecentRate {
 public:
  explicit RecentRate(double window_s = 2.0) : window_s_(window_s) {}
  // Adds the count at `time_s` (non-decreasing) and returns the rate since the sample that is
  // at least a window older; 0 before two samples.
  double add(double time_s, std::int64_t count);

 private:
  struct Sample {
    double time_s;
    std::int64_t count;
  };
  double window_s_;
  std::deque<Sample> samples_;
};

// "[faults] 12.0/30.0 s  ok 1204  fail 3  info 1  98 ops/s  faults: kill n2"
std::string format_progress(const ProgressSnapshot& snapshot);

class ProgressPrinter {
 public:
  // Starts printing what `snapshot` returns to `out`; `terminal` picks the style.
  ProgressPrinter(std::ostream& out, bool terminal, std::function<ProgressSnapshot()> snapshot);
  ~ProgressPrinter();  // stops, and ends the status line
  void stop();

 private:
  std::ostream& out_;
  bool terminal_;
  std::function<ProgressSnapshot()> snapshot_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace faultline
