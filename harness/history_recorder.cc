#include "history_recorder.h"

namespace faultline {

HistoryRecorder::HistoryRecorder(std::ostream& out, std::function<std::int64_t()> now_ns)
    : out_(out), now_ns_(std::move(now_ns)), writer_(out) {
  flusher_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, history_flush_interval);
      if (dirty_) flush_locked();
    }
  });
}

HistoryRecorder::~HistoryRecorder() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  flusher_.join();
  flush();
}

Op HistoryRecorder::record(Op op) {
  std::lock_guard lock(mutex_);
  // Index and time are taken under the lock, so that both grow in the order ops are written.
  op.index = static_cast<std::int64_t>(ops_.size());
  op.time_ns = now_ns_();
  writer_.write(op);
  dirty_ = true;
  ops_.push_back(op);
  return op;
}

void HistoryRecorder::flush() {
  std::lock_guard lock(mutex_);
  flush_locked();
}

void HistoryRecorder::flush_locked() {
  out_.flush();
  dirty_ = false;
}

std::vector<Op> HistoryRecorder::ops() const {
  std::lock_guard lock(mutex_);
  return ops_;
}

std::size_t HistoryRecorder::size() const {
  std::lock_guard lock(mutex_);
  return ops_.size();
}

}  // namespace faultline
