#include "launcher_thread.h"

#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <thread>

namespace faultline {

namespace {

class LauncherThread {
 public:
  LauncherThread() : thread_([this](std::stop_token stop) { serve(stop); }) {}
  ~LauncherThread() {
    {
      // Under the lock, so the stop cannot slip between the thread's check and its wait.
      std::lock_guard lock(mutex_);
      thread_.request_stop();
    }
    wake_.notify_all();
  }  // then the jthread joins

  void run(const std::function<void()>& task) {
    std::packaged_task<void()> packaged(task);
    std::future<void> done = packaged.get_future();
    {
      std::lock_guard lock(mutex_);
      tasks_.push_back(std::move(packaged));
    }
    wake_.notify_one();
    done.get();
  }

 private:
  void serve(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    while (true) {
      wake_.wait(lock, [&] { return stop.stop_requested() || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stop requested and nothing left
      std::packaged_task<void()> task = std::move(tasks_.front());
      tasks_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<void()>> tasks_;
  std::jthread thread_;  // last: it starts serving once the members above exist
};

}  // namespace

void run_on_launcher_thread(const std::function<void()>& task) {
  static LauncherThread launcher;
  launcher.run(task);
}

}  // namespace faultline
