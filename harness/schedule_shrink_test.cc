// The shrink's search against oracles that know which faults matter: it must find exactly
// them, shorten windows only as far as the oracle allows, stop earlier only as far as it
// allows, and keep the best found when told to stop.
#include "schedule_shrink.h"

#include <catch2/catch.hpp>

#include "fault_groups.h"

using namespace faultline;

namespace {

// Kill and restart node i (n1..nN) at 2i+1 and 2i+2 seconds.
std::vector<TimedAction> kills(int count) {
  std::vector<TimedAction> schedule;
  for (int i = 0; i < count; ++i) {
    const std::string node = "n" + std::to_string(i + 1);
    schedule.push_back({2.0 * i + 1, Fault{FaultKind::kill, {node}}});
    schedule.push_back({2.0 * i + 2, Fault{FaultKind::restart, {node}}});
  }
  return schedule;
}

// The kill window of `node` in `schedule`, or -1 when the node is never killed.
double window_of(const std::vector<TimedAction>& schedule, const std::string& node) {
  double begin = -1;
  for (const TimedAction& timed : schedule) {
    const auto* fault = std::get_if<Fault>(&timed.action);
    if (!fault || fault->nodes != std::vector<std::string>{node}) continue;
    if (fault->kind == FaultKind::kill) begin = timed.at_s;
    else if (begin >= 0) return timed.at_s - begin;
  }
  return -1;
}

}  // namespace

TEST_CASE("shrink: exactly the two faults that matter are left, out of 12") {
  for (const auto& [first, second] : {std::pair{"n2", "n9"}, std::pair{"n1", "n12"}, std::pair{"n6", "n7"}}) {
    int tried = 0;
    const Reproduces oracle = [&](const ShrinkCandidate& candidate) -> std::optional<bool> {
      ++tried;
      return window_of(candidate.schedule, first) >= 0 && window_of(candidate.schedule, second) >= 0;
    };
    const ShrinkOutcome outcome = shrink_schedule(kills(12), 30, 1, oracle);
    INFO(first << " " << second << ", " << tried << " tried");
    CHECK_FALSE(outcome.stopped);
    CHECK(outcome.best.faults == 2);
    CHECK(window_of(outcome.best.schedule, first) >= 0);
    CHECK(window_of(outcome.best.schedule, second) >= 0);
    CHECK(tried < 60);
  }
}

TEST_CASE("shrink: no fault at all when none is needed, nothing changes when every fault is") {
  const ShrinkOutcome none = shrink_schedule(kills(6), 20, 1, [](const ShrinkCandidate&) { return true; });
  CHECK(none.best.faults == 0);
  CHECK(none.best.schedule.empty());
  const ShrinkOutcome all = shrink_schedule(kills(6), 20, 1, [](const ShrinkCandidate& candidate) {
    bool whole = candidate.faults == 6 && candidate.time_limit_s == 20;
    for (int node = 1; node <= 6; ++node) whole = whole && window_of(candidate.schedule, "n" + std::to_string(node)) == 1;
    return std::optional<bool>(whole);
  });
  CHECK(all.best.faults == 6);
  CHECK(all.best.schedule == kills(6));
  CHECK(all.best.time_limit_s == 20);
}

TEST_CASE("shrink: a window shortened only while the oracle still reproduces, the stop moved earlier as far as allowed") {
  std::vector<TimedAction> schedule = {{1, Fault{FaultKind::kill, {"n1"}}}, {9, Fault{FaultKind::restart, {"n1"}}}};
  const ShrinkOutcome outcome = shrink_schedule(schedule, 30, 1, [](const ShrinkCandidate& candidate) {
    const double window = window_of(candidate.schedule, "n1");
    return std::optional<bool>(window >= 3 && candidate.time_limit_s >= 12);
  });
  CHECK(outcome.best.faults == 1);
  CHECK(window_of(outcome.best.schedule, "n1") == Approx(4));  // 8 -> 4; 2 did not reproduce
  CHECK(outcome.best.time_limit_s >= 12);
  CHECK(outcome.best.time_limit_s < 30);
}

TEST_CASE("shrink: told to stop, it keeps the best found so far") {
  int tried = 0;
  const ShrinkOutcome outcome = shrink_schedule(kills(8), 20, 1, [&](const ShrinkCandidate& candidate) -> std::optional<bool> {
    if (++tried > 3) return std::nullopt;
    return window_of(candidate.schedule, "n1") >= 0;  // no fault fails; the first half reproduces
  });
  CHECK(outcome.stopped);
  CHECK(tried == 4);
  CHECK(outcome.best.faults == 2);  // all 8, then 4 (n1-n4), then 2 (n1 n2)
  CHECK(window_of(outcome.best.schedule, "n1") >= 0);
}
