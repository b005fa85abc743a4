// The reference the fast checker is tested against, so it is written to be read, not to be
// fast: a depth-first search over every order of the operations that real time allows.
//
// Why one search covers "each indeterminate op included or left out": an order is built one
// op at a time, and it is accepted as soon as every `ok` op is in it. The indeterminate ops
// not yet placed at that moment are the ones left out. An indeterminate op never has to
// precede anything (its completion is unknown, so it is as if it completed at the end of
// time), so leaving it out never breaks a real-time constraint of the ops that remain.
#include "brute_force.h"

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
  ModelInput input;
  std::int64_t invoke_position = 0;
  std::int64_t complete_position = never_completed;
  bool must_happen = false;  // an ok op; indeterminate ops may be left out
};

// The client operations that may have happened, as the model sees them.
std::vector<Candidate> collect_candidates(const History& history, const Model& model, ValueTable& values) {
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& invocation = history[i];
    if (invocation.is_nemesis() || invocation.type != OpType::invoke) continue;
    const std::int64_t completion_position = history.partner(i);
    const Op* completion = completion_position >= 0 ? &history[static_cast<std::size_t>(completion_position)] : nullptr;
    if (completion != nullptr && completion->type == OpType::fail) continue;  // did not happen
    const bool ok = completion != nullptr && completion->type == OpType::ok;
    auto input = model.prepare(invocation, ok ? completion : nullptr, ModelConventions{}, values);
    if (!input) {
      throw std::invalid_argument(history.source() + ":" + std::to_string(history.line(i)) + ": " + input.error());
    }
    if (!*input) continue;  // cannot change the state and its outcome is unknown
    candidates.push_back(Candidate{**input, static_cast<std::int64_t>(i),
                                   ok ? completion_position : never_completed, ok});
  }
  return candidates;
}

class Search {
 public:
  Search(const Model& model, std::vector<Candidate> candidates)
      : model_(model), candidates_(std::move(candidates)), placed_(candidates_.size(), false) {
    for (const Candidate& candidate : candidates_) must_happen_left_ += candidate.must_happen ? 1 : 0;
  }

  bool accepts_some_order(ModelState state) {
    if (must_happen_left_ == 0) return true;
    for (std::size_t next = 0; next < candidates_.size(); ++next) {
      if (placed_[next] || !may_come_next(next)) continue;
      const std::optional<ModelState> after = model_.step(state, candidates_[next].input);
      if (!after) continue;
      place(next, true);
      const bool accepted = accepts_some_order(*after);
      place(next, false);
      if (accepted) return true;
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

  const Model& model_;
  std::vector<Candidate> candidates_;
  std::vector<bool> placed_;
  int must_happen_left_ = 0;
};

}  // namespace

Verdict check_linearizability_brute_force(const History& history, const Model& model, const nlohmann::json& initial) {
  ValueTable values;
  std::vector<Candidate> candidates = collect_candidates(history, model, values);
  assert(candidates.size() <= brute_force_ops_max && "the brute-force checker is for histories of a handful of ops");
  const ModelState initial_state = model.init(values.intern(initial));
  return Search(model, std::move(candidates)).accepts_some_order(initial_state) ? Verdict::valid : Verdict::invalid;
}

}  // namespace faultline
