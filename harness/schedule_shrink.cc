#include "schedule_shrink.h"

#include <algorithm>
#include <cstdio>

#include "fault_groups.h"

namespace faultline {
namespace {

constexpr int window_halvings_max = 3;
constexpr double window_min_s = 0.2;
constexpr int stop_halvings_max = 4;
constexpr double stop_margin_s = 0.5;

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

class Search {
 public:
  Search(const std::vector<TimedAction>& schedule, double time_limit_s, const Reproduces& reproduces)
      : reproduces_(reproduces) {
    best_.schedule = schedule;
    best_.time_limit_s = time_limit_s;
    best_.faults = fault_groups(schedule).size();
  }

  // Tries `candidate`; true when it reproduced (and is now the best). Sets stopped_.
  bool attempt(ShrinkCandidate candidate) {
    if (stopped_) return false;
    candidate.faults = fault_groups(candidate.schedule).size();
    const std::optional<bool> reproduced = reproduces_(candidate);
    if (!reproduced) {
      stopped_ = true;
      return false;
    }
    if (*reproduced) best_ = std::move(candidate);
    return *reproduced;
  }

  bool attempt_groups(const std::vector<FaultGroup>& groups, const std::string& change) {
    return attempt({schedule_of(best_.schedule, groups), best_.time_limit_s, 0, change});
  }

  void fewer_faults() {
    std::vector<FaultGroup> faults = fault_groups(best_.schedule);
    if (faults.empty() || attempt_groups({}, "no fault at all")) return;
    std::size_t parts = 2;
    while (!stopped_ && faults.size() >= 2) {
      const std::vector<std::vector<FaultGroup>> chunks = split(faults, parts);
      const std::size_t total = faults.size();
      bool reduced = false;
      for (std::size_t i = 0; i < chunks.size() && !reduced && !stopped_; ++i) {
        if (!attempt_groups(chunks[i], "only " + std::to_string(chunks[i].size()) + " of " + std::to_string(total) + " faults"))
          continue;
        faults = fault_groups(best_.schedule);
        parts = 2;
        reduced = true;
      }
      for (std::size_t i = 0; parts > 2 && i < chunks.size() && !reduced && !stopped_; ++i) {
        std::vector<FaultGroup> rest;
        for (std::size_t j = 0; j < chunks.size(); ++j)
          if (j != i) rest.insert(rest.end(), chunks[j].begin(), chunks[j].end());
        if (!attempt_groups(rest, "without " + std::to_string(chunks[i].size()) + " of " + std::to_string(total) + " faults"))
          continue;
        faults = fault_groups(best_.schedule);
        parts = std::max<std::size_t>(parts - 1, 2);
        reduced = true;
      }
      if (reduced) continue;
      if (parts >= faults.size()) break;
      parts = std::min(parts * 2, faults.size());
    }
  }

  void shorter_windows() {
    const std::size_t count = fault_groups(best_.schedule).size();
    for (std::size_t fault = 0; fault < count && !stopped_; ++fault) {
      for (int halving = 0; halving < window_halvings_max && !stopped_; ++halving) {
        // Indices stay valid: shortening keeps the schedule's order (see below).
        const FaultGroup group = fault_groups(best_.schedule)[fault];
        const double begin_s = best_.schedule[group.front()].at_s;
        const double end_s = best_.schedule[group.back()].at_s;
        if (group.size() < 2 || end_s >= best_.time_limit_s || end_s - begin_s < 2 * window_min_s) break;
        ShrinkCandidate candidate = best_;
        for (std::size_t k = 1; k < group.size(); ++k) {
          double& at_s = candidate.schedule[group[k]].at_s;
          at_s = begin_s + (at_s - begin_s) / 2;
        }
        // An end moves earlier, never before its own beginning nor past another fault's action
        // on the same node (that came after the end it replaces): sorting keeps every fault
        // possible. Ties keep the schedule's order.
        std::stable_sort(candidate.schedule.begin(), candidate.schedule.end(),
                         [](const TimedAction& a, const TimedAction& b) { return a.at_s < b.at_s; });
        candidate.change = "fault " + std::to_string(fault + 1) + "'s window " + seconds_text(end_s - begin_s) + " -> " +
                           seconds_text((end_s - begin_s) / 2);
        if (!attempt(std::move(candidate))) break;
      }
    }
  }

  void earlier_stop(double min_time_limit_s) {
    double last_s = 0;
    for (const TimedAction& timed : best_.schedule)
      if (timed.at_s < best_.time_limit_s - 0.05) last_s = std::max(last_s, timed.at_s);
    double low_s = std::max(min_time_limit_s, last_s + stop_margin_s);
    for (int halving = 0; halving < stop_halvings_max && !stopped_ && best_.time_limit_s - low_s > stop_margin_s; ++halving) {
      ShrinkCandidate candidate = best_;
      candidate.time_limit_s = low_s + (best_.time_limit_s - low_s) / 2;
      candidate.change = "stop at " + seconds_text(candidate.time_limit_s) + " instead of " + seconds_text(best_.time_limit_s);
      const double tried_s = candidate.time_limit_s;
      if (!attempt(std::move(candidate))) low_s = tried_s;
    }
  }

  ShrinkOutcome outcome() const { return {best_, stopped_}; }

 private:
  static std::vector<std::vector<FaultGroup>> split(const std::vector<FaultGroup>& faults, std::size_t parts) {
    std::vector<std::vector<FaultGroup>> chunks;
    std::size_t start = 0;
    for (std::size_t i = 0; i < parts; ++i) {
      const std::size_t end = faults.size() * (i + 1) / parts;
      if (end > start) chunks.emplace_back(faults.begin() + static_cast<std::ptrdiff_t>(start), faults.begin() + static_cast<std::ptrdiff_t>(end));
      start = end;
    }
    return chunks;
  }

  const Reproduces& reproduces_;
  ShrinkCandidate best_;
  bool stopped_ = false;
};

}  // namespace

ShrinkOutcome shrink_schedule(const std::vector<TimedAction>& schedule, double time_limit_s, double min_time_limit_s,
                              const Reproduces& reproduces) {
  Search search(schedule, time_limit_s, reproduces);
  search.fewer_faults();
  search.shorter_windows();
  search.earlier_stop(min_time_limit_s);
  return search.outcome();
}

}  // namespace faultline
