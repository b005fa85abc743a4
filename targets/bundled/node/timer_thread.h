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
    bool sooner;
    Handle handle;
    {
      std::lock_guard lock(mutex_);
      handle = next_handle_++;
      auto it = due_.emplace(due, Entry{handle, std::move(callback)});
      handles_.emplace(handle, it);
      sooner = due < wakes_at_;
    }
    // Only a callback due before the thread's next wakeup needs to wake it. A cancelled
    // callback does not move that wakeup: the thread then wakes once for nothing and sleeps
    // until the next one due. The Paxos node replaces each round's timeout with the next
    // round's, about a thousand times a second; waking the thread each time cost about a tenth
    // of the node's throughput on one key (measured with faultline-node-bench).
    if (sooner) wake_.notify_all();
    return handle;
  }
  // A callback not yet started never runs (true); one that is running or has run is not
  // affected (false).
  bool cancel(Handle handle) {
    std::lock_guard lock(mutex_);
    auto it = handles_.find(handle);
    if (it == handles_.end()) return false;
    due_.erase(it->second);
    handles_.erase(it);
    return true;
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (due_.empty()) {
        wakes_at_ = Clock::time_point::max();
        wake_.wait(lock);
        continue;
      }
      const auto first = due_.begin();
      if (Clock::now() < first->first) {
        wakes_at_ = first->first;
        wake_.wait_until(lock, wakes_at_);
        continue;
      }
      wakes_at_ = Clock::time_point::min();  // running callbacks: it looks at due_ again after each
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
  Clock::time_point wakes_at_ = Clock::time_point::min();  // when the thread wakes next by itself
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace faultline::node
