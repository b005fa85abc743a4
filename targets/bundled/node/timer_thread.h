// One thread that runs callbacks when they are due (steady clock), in the order they are due;
// callbacks due at the same time run in the order they were set; a callback can be cancelled. The node's Paxos timers and
// the planted bug paxos-reply-before-persist's late writes use it. Callbacks not yet due when
// the TimerThread is destroyed never run.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
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

  using Handle = std::uint64_t;

  // Runs `callback` at `due`, unless cancelled first.
  Handle at(Clock::time_point due, std::function<void()> callback) {
    bool earliest;
    Handle handle;
    {
      std::lock_guard lock(mutex_);
      handle = next_handle_++;
      auto it = due_.emplace(due, Entry{handle, std::move(callback)});
      handles_.emplace(handle, it);
      earliest = it == due_.begin();
    }
    // The thread sleeps until the earliest: only a new earliest needs to wake it.
    if (earliest) wake_.notify_all();
    return handle;
  }
  // A callback not yet started never runs; one that is running or has run is not affected.
  void cancel(Handle handle) {
    std::lock_guard lock(mutex_);
    auto it = handles_.find(handle);
    if (it == handles_.end()) return;
    due_.erase(it->second);
    handles_.erase(it);
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
      auto callback = std::move(first->second.callback);
      handles_.erase(first->second.handle);
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
  struct Entry {
    Handle handle;
    std::function<void()> callback;
  };
  using Due = std::multimap<Clock::time_point, Entry>;
  Due due_;
  std::map<Handle, Due::iterator> handles_;
  Handle next_handle_ = 1;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace faultline::node
