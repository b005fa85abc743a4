// Simulated time for the deterministic simulations (STYLE principles 2 and 8): events run in
// (time, insertion) order, so one seed always gives the same run.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

namespace faultline::sim {

class EventQueue {
 public:
  std::int64_t now_us() const { return now_us_; }

  void at(std::int64_t time_us, std::function<void()> event) {
    events_.emplace(std::pair{std::max(time_us, now_us_), next_seq_++}, std::move(event));
  }
  void after(std::int64_t delay_us, std::function<void()> event) { at(now_us_ + delay_us, std::move(event)); }

  // Runs the next event; false when none is left.
  bool run_next() {
    if (events_.empty()) return false;
    auto node = events_.extract(events_.begin());
    now_us_ = node.key().first;
    node.mapped()();
    return true;
  }

 private:
  std::int64_t now_us_ = 0;
  std::uint64_t next_seq_ = 0;
  std::map<std::pair<std::int64_t, std::uint64_t>, std::function<void()>> events_;
};

}  // namespace faultline::sim
