// Records a run's history as it happens (STYLE principle 3): gives each op its index and its
// time, keeps it for the checkers, and appends it to history.jsonl, flushed at least every
// flush_interval_ms so that a crashed or interrupted controller still leaves a history that
// `faultline analyze` can check. Thread-safe: every client and the nemesis record here.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <ostream>
#include <thread>
#include <vector>

#include "history/jsonl.h"
#include "history/op.h"

namespace faultline {

inline constexpr std::chrono::milliseconds history_flush_interval{100};

class HistoryRecorder {
 public:
  // `now_ns`: nanoseconds since the test started (injected: STYLE principle 2).
  HistoryRecorder(std::ostream& out, std::function<std::int64_t()> now_ns);
  ~HistoryRecorder();  // flushes

  // Stamps `op` with the next index and the current time, records it, and returns the stamped op.
  Op record(Op op);

  // Writes everything buffered to the stream and flushes it.
  void flush();

  // A copy of every op recorded so far, in order.
  std::vector<Op> ops() const;
  std::size_t size() const;

 private:
  void flush_locked();

  std::ostream& out_;
  std::function<std::int64_t()> now_ns_;
  mutable std::mutex mutex_;
  JsonlWriter writer_;
  std::vector<Op> ops_;
  bool dirty_ = false;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread flusher_;
};

}  // namespace faultline
