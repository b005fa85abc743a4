// The reference the fast checker is tested against, so it is written to be read, not to be
// fast: a depth-first search over every order of the operations that real time allows.
//
// Why one search covers "each indeterminate op included or left out": an order is built one
// op at a time, and it is accepted as soon as every `ok` op is in it. The indeterminate ops
// not yet placed at that moment are the ones left out. An indeterminate op never has to
// precede anything (its completion is unknown, so it is as if it completed at the end of
// time), so leaving it out never breaks a real-time constraint of the ops that remain.
#include "brute_force.h"

#include "reference_model.h"

#include <cassert>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

namespace faultline {
namespace {

// Beyond this the search takes minutes on an invalid history; the callers are tests of a
// handful of ops, so more is a mistake in the test.
constexpr std::size_t brute_force_ops_max = 16;

// For an op that may never have completed: it constrains nothing that comes after it.
constexpr std::int64_t never_completed = std::numeric_limits<std::int64_t>::max();

struct Candidate {
  const Op* invocation = nullptr;
  const Op* completion = nullptr;  // the ok completion; null when the outcome is unknown
  std::int64_t invoke_position = 0;
  std::int64_t complete_position = never_completed;
  bool must_happen = false;  // an ok op; indeterminate ops may be left out
};

// The client operations that may have happened.
std::vector<Candidate> collect_candidates(const History& history) {
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& invocation = history[i];
    if (invocation.is_nemesis() || invocation.type != OpType::invoke) continue;
    const std::int64_t completion_position = history.partner(i);
    const Op* completion = completion_position >= 0 ? &history[static_cast<std::size_t>(completion_position)] : nullptr;
    if (completion != nullptr && completion->type == OpType::fail) continue;  // did not happen
    const bool ok = completion != nullptr && completion->type == OpType::ok;
    candidates.push_back(Candidate{&invocation, ok ? completion : nullptr, static_cast<std::int64_t>(i),
                                   ok ? completion_position : never_completed, ok});
  }
  return candidates;
}

class Search {
 public:
  Search(std::string_view model, nlohmann::json initial, std::vector<Candidate> candidates)
      : model_(model), initial_(std::move(initial)), candidates_(std::move(candidates)), placed_(candidates_.size(), false) {
    for (const Candidate& candidate : candidates_) must_happen_left_ += candidate.must_happen ? 1 : 0;
  }

  bool accepts_some_order(const nlohmann::json& state) {
    if (must_happen_left_ == 0) return true;
    for (std::size_t next = 0; next < candidates_.size(); ++next) {
      if (placed_[next] || !may_come_next(next)) continue;
      const Candidate& candidate = candidates_[next];
      for (const nlohmann::json& after : reference_step(model_, initial_, state, *candidate.invocation, candidate.completion)) {
        place(next, true);
        const bool accepted = accepts_some_order(after);
        place(next, false);
        if (accepted) return true;
      }
    }
    return false;
  }

 private:
  // Real time: every op that completed before `next` was invoked is already in the order.
  bool may_come_next(std::size_t next) const {
    for (std::size_t other = 0; other < candidates_.size(); ++other) {
      if (!placed_[other] && candidates_[other].complete_position < candidates_[next].invoke_position) return false;
    }
    return true;
  }

  void place(std::size_t i, bool placed) {
    placed_[i] = placed;
    if (candidates_[i].must_happen) must_happen_left_ += placed ? -1 : 1;
  }

  std::string_view model_;
  nlohmann::json initial_;
  std::vector<Candidate> candidates_;
  std::vector<bool> placed_;
  int must_happen_left_ = 0;
};

}  // namespace

Verdict check_linearizability_brute_force(const History& history, const Model& model, const nlohmann::json& initial) {
  std::vector<Candidate> candidates = collect_candidates(history);
  const nlohmann::json initial_state = reference_initial_state(model.name, initial);
  // An op that does not fit the model is an error even when the search never reaches it.
  for (const Candidate& candidate : candidates) {
    try {
      reference_step(model.name, initial, initial_state, *candidate.invocation, candidate.completion);
    } catch (const nlohmann::json::exception& e) {
      throw std::invalid_argument(history.source() + ": " + describe(*candidate.invocation) + ": " + e.what());
    }
  }
  assert(candidates.size() <= brute_force_ops_max && "the brute-force checker is for histories of a handful of ops");
  return Search(model.name, initial, std::move(candidates)).accepts_some_order(initial_state) ? Verdict::valid
                                                                                               : Verdict::invalid;
}

}  // namespace faultline
