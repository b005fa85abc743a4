// One thread that runs callbacks when they are due (steady clock), in the order they are due;
// callbacks due at the same time run in the order they were set. The node's Paxos timers and
// the planted bug paxos-reply-before-persist's late writes use it. Callbacks not yet due when
// the TimerThread is destroyed never run.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace faultline::node {

class TimerThread {
 public:
  using Clock = std::chrono::steady_clock;

  TimerThread() : thread_([this] { run(); }) {}
  ~TimerThread() { stop(); }
  // Runs nothing more (what is set later is kept, never run) and joins; idempotent.
  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  TimerThread(const TimerThread&) = delete;
  TimerThread& operator=(const TimerThread&) = delete;

  void at(Clock::time_point due, std::function<void()> callback) {
    {
      std::lock_guard lock(mutex_);
      due_.emplace(due, std::move(callback));
    }
    wake_.notify_all();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (due_.empty()) {
        wake_.wait(lock);
        continue;
      }
      const auto first = due_.begin();
      if (Clock::now() < first->first) {
        wake_.wait_until(lock, first->first);
        continue;
      }
      auto callback = std::move(first->second);
      due_.erase(first);
      lock.unlock();
      try {
        callback();
      } catch (...) {
        // A callback must not take the thread down; the ones that can fail log it themselves.
      }
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::multimap<Clock::time_point, std::function<void()>> due_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace faultline::node
