// Replies from peers to one operation, handed from the peer clients' threads to the thread
// that drives the operation's protocol core.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>

namespace faultline::node {

// `Reply`: what a reply is by the time it is queued (decoded, or raw JSON).
template <typename Reply>
class ReplyQueue {
 public:
  using Clock = std::chrono::steady_clock;

  void push(std::size_t from, Reply reply) {
    {
      std::lock_guard lock(mutex_);
      replies_.emplace_back(from, std::move(reply));
    }
    arrived_.notify_one();
  }

  // The next reply, or nullopt once `deadline` passes.
  std::optional<std::pair<std::size_t, Reply>> pop_until(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    if (!arrived_.wait_until(lock, deadline, [&] { return !replies_.empty(); })) return std::nullopt;
    auto reply = std::move(replies_.front());
    replies_.pop_front();
    return reply;
  }

 private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<std::pair<std::size_t, Reply>> replies_;
};

}  // namespace faultline::node
