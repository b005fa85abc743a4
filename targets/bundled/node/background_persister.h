// The planted bug paxos-reply-before-persist: the acceptor replies at once and this thread
// writes its state `lag_ms` later. kill -9 in between loses promises and accepts the node has
// already announced. (Merely skipping fsync would not show under kill -9: the page cache
// survives the process.)
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace faultline::node {

class BackgroundPersister {
 public:
  explicit BackgroundPersister(std::int64_t lag_ms) : lag_(lag_ms), thread_([this] { run(); }) {}
  ~BackgroundPersister() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  void later(std::function<void()> write) {
    {
      std::lock_guard lock(mutex_);
      queue_.emplace_back(std::chrono::steady_clock::now() + lag_, std::move(write));
    }
    wake_.notify_all();
  }

 private:
  void run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      if (queue_.empty()) {
        wake_.wait(lock);
        continue;
      }
      const auto due = queue_.front().first;
      if (std::chrono::steady_clock::now() < due) {
        wake_.wait_until(lock, due);
        continue;
      }
      auto write = std::move(queue_.front().second);
      queue_.pop_front();
      lock.unlock();
      try {
        write();
      } catch (...) {
      }
      lock.lock();
    }
  }

  std::chrono::milliseconds lag_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<std::chrono::steady_clock::time_point, std::function<void()>>> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace faultline::node
