// The node's timer thread (node/timer_thread.h): order, cancellation, and that a callback set
// due sooner than the one the thread sleeps for wakes it (it does not wait for the later one).
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "../node/timer_thread.h"

using faultline::node::TimerThread;
using namespace std::chrono_literals;

namespace {

// What the callbacks did, and a way to wait for a number of them.
struct Calls {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<int> order;

  std::function<void()> record(int name) {
    return [this, name] {
      std::lock_guard lock(mutex);
      order.push_back(name);
      changed.notify_all();
    };
  }
  bool wait_for(std::size_t count, std::chrono::seconds limit) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, limit, [&] { return order.size() >= count; });
  }
  std::vector<int> seen() {
    std::lock_guard lock(mutex);
    return order;
  }
};

}  // namespace

TEST_CASE("timer thread: callbacks run in the order they are due, not the order they were set") {
  Calls calls;
  TimerThread timers;
  const auto now = TimerThread::Clock::now();
  timers.at(now + 30ms, calls.record(3));
  timers.at(now + 10ms, calls.record(1));
  timers.at(now + 20ms, calls.record(2));
  REQUIRE(calls.wait_for(3, 10s));
  CHECK(calls.seen() == std::vector<int>{1, 2, 3});
}

TEST_CASE("timer thread: a callback due sooner than the one the thread sleeps for runs at once") {
  Calls calls;
  TimerThread timers;
  const auto late = TimerThread::Clock::now() + 60s;
  timers.at(late, calls.record(2));
  // The thread now sleeps until `late`; this one must wake it.
  timers.at(TimerThread::Clock::now(), calls.record(1));
  REQUIRE(calls.wait_for(1, 30s));
  CHECK(TimerThread::Clock::now() < late);
  CHECK(calls.seen() == std::vector<int>{1});
}

TEST_CASE("timer thread: a sooner callback set after the earliest was cancelled still runs at once") {
  // The cancelled one leaves the thread's wakeup where it was; a callback due before that
  // wakeup must still wake it, and one due after it waits for its own time.
  Calls calls;
  TimerThread timers;
  const auto start = TimerThread::Clock::now();
  const TimerThread::Handle moot = timers.at(start + 60s, calls.record(9));
  REQUIRE(timers.cancel(moot));
  timers.at(start + 120s, calls.record(2));
  timers.at(TimerThread::Clock::now() + 5ms, calls.record(1));
  REQUIRE(calls.wait_for(1, 30s));
  CHECK(TimerThread::Clock::now() < start + 60s);
  CHECK(calls.seen() == std::vector<int>{1});
}

TEST_CASE("timer thread: a cancelled callback never runs, cancelling one that ran changes nothing") {
  Calls calls;
  TimerThread timers;
  const auto now = TimerThread::Clock::now();
  const TimerThread::Handle cancelled = timers.at(now + 200ms, calls.record(1));
  const bool stopped_in_time = timers.cancel(cancelled);
  const TimerThread::Handle ran = timers.at(now + 250ms, calls.record(2));
  REQUIRE(calls.wait_for(stopped_in_time ? 1 : 2, 10s));
  if (stopped_in_time) {
    CHECK(calls.seen() == std::vector<int>{2});
  } else {
    // The machine stalled past 200 ms between at() and cancel(): the callback had run.
    CHECK(calls.seen() == std::vector<int>{1, 2});
  }
  CHECK_FALSE(timers.cancel(ran));
  CHECK_FALSE(timers.cancel(cancelled));
}

TEST_CASE("timer thread: callbacks not yet due when it stops never run") {
  Calls calls;
  {
    TimerThread timers;
    timers.at(TimerThread::Clock::now() + 60s, calls.record(1));
    timers.stop();
  }
  CHECK(calls.seen().empty());
}
