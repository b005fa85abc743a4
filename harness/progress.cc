#include "progress.h"

#include <cstdio>

namespace faultline {

double RecentRate::add(double time_s, std::int64_t count) {
  samples_.push_back({time_s, count});
  // Keep one sample at or before the window's start, and everything after it.
  while (samples_.size() > 2 && samples_[1].time_s <= time_s - window_s_) samples_.pop_front();
  const Sample& from = samples_.front();
  if (time_s <= from.time_s) return 0;
  return static_cast<double>(count - from.count) / (time_s - from.time_s);
}

std::string format_progress(const ProgressSnapshot& s) {
  char line[256];
  std::snprintf(line, sizeof line, "[%s] %.1f/%.1f s  ok %lld  fail %lld  info %lld  %.0f ops/s", s.phase.c_str(),
                s.elapsed_s, s.planned_s, static_cast<long long>(s.ok), static_cast<long long>(s.fail),
                static_cast<long long>(s.info), s.ops_per_s);
  std::string text = line;
  text += "  faults: ";
  if (s.active_faults.empty()) text += "none";
  for (std::size_t i = 0; i < s.active_faults.size(); ++i) text += (i ? ", " : "") + s.active_faults[i];
  return text;
}

ProgressPrinter::ProgressPrinter(std::ostream& out, bool terminal, std::function<ProgressSnapshot()> snapshot)
    : out_(out), terminal_(terminal), snapshot_(std::move(snapshot)) {
  thread_ = std::thread([this] {
    const auto interval = terminal_ ? std::chrono::duration_cast<std::chrono::milliseconds>(progress_terminal_interval)
                                    : std::chrono::duration_cast<std::chrono::milliseconds>(progress_plain_interval);
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      const std::string line = format_progress(snapshot_());
      if (terminal_) out_ << "\r\033[K" << line << std::flush;
      else out_ << line << std::endl;
    }
  });
}

void ProgressPrinter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (terminal_) out_ << "\r\033[K" << format_progress(snapshot_()) << std::endl;
}

ProgressPrinter::~ProgressPrinter() { stop(); }

std::string duration_text(double seconds) {
  char text[32];
  const int total = static_cast<int>(seconds);
  std::snprintf(text, sizeof text, "%dm%02ds", total / 60, total % 60);
  return text;
}

}  // namespace faultline
