#include "overwrite_check.h"

#include <algorithm>
#include <limits>
#include <map>

namespace faultline {
namespace {

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();

// Answers: of the determinate ops invoked after position t that set a state other than s,
// which completes first? Built over the setters sorted by invocation, with suffix minima
// that keep the best two of different states (so that one of them is not s).
class FirstOverwrite {
 public:
  FirstOverwrite(const KeyProblem& problem, const Model& model) {
    for (std::size_t i = 0; i < problem.ops.size(); ++i) {
      const SearchOp& op = problem.ops[i];
      if (op.indeterminate()) continue;
      if (auto sets = model.sets_state(op.input)) setters_.push_back({op.invoke_position, op.complete_position, *sets, static_cast<std::int32_t>(i)});
    }
    std::sort(setters_.begin(), setters_.end(), [](const Setter& a, const Setter& b) { return a.invoke < b.invoke; });
    suffix_.resize(setters_.size() + 1);
    for (std::size_t i = setters_.size(); i-- > 0;) {
      Best best = suffix_[i + 1];
      const Setter& s = setters_[i];
      Candidate c{s.complete, s.state, s.op};
      if (c.complete < best.first.complete) {
        if (best.first.state != c.state) best.second = best.first;
        best.first = c;
      } else if (c.state != best.first.state && c.complete < best.second.complete) {
        best.second = c;
      }
      suffix_[i] = best;
    }
  }

  // {completion position, op} of the first overwrite of state `s` invoked after `t`.
  std::pair<std::int64_t, std::int32_t> after(std::int64_t t, ModelState s) const {
    auto it = std::upper_bound(setters_.begin(), setters_.end(), t,
                               [](std::int64_t value, const Setter& setter) { return value < setter.invoke; });
    const Best& best = suffix_[static_cast<std::size_t>(it - setters_.begin())];
    const Candidate& c = best.first.state != s ? best.first : best.second;
    return {c.complete, c.op};
  }

 private:
  struct Setter {
    std::int64_t invoke, complete;
    ModelState state;
    std::int32_t op;
  };
  struct Candidate {
    std::int64_t complete = never;
    ModelState state = 0;
    std::int32_t op = -1;
  };
  struct Best {
    Candidate first, second;  // second: the best whose state differs from first's
  };
  std::vector<Setter> setters_;
  std::vector<Best> suffix_;
};

// The ops that set one state, by invocation, with running maxima of when each was overwritten.
struct Producers {
  struct Entry {
    std::int64_t invoke;
    std::int64_t overwritten_at;  // completion of its first overwrite; `never` for indeterminate ops
    std::int32_t op;              // -1: the initial state
    std::int32_t overwriter;
  };
  std::vector<Entry> entries;
  // Over entries[0..i]: the two latest-overwritten, of different ops.
  std::vector<std::pair<Entry, Entry>> latest;
};

}  // namespace

std::optional<OverwriteRefutation> find_overwritten_state(const KeyProblem& problem, const Model& model,
                                                          ModelState initial_state) {
  const FirstOverwrite first_overwrite(problem, model);
  std::map<ModelState, Producers> producers;
  {
    auto [at, op] = first_overwrite.after(-1, initial_state);
    producers[initial_state].entries.push_back({-1, at, -1, op});
  }
  for (std::size_t i = 0; i < problem.ops.size(); ++i) {
    const SearchOp& op = problem.ops[i];
    auto sets = model.sets_state(op.input);
    if (!sets) continue;
    Producers::Entry entry{op.invoke_position, never, static_cast<std::int32_t>(i), -1};
    if (!op.indeterminate()) std::tie(entry.overwritten_at, entry.overwriter) = first_overwrite.after(op.complete_position, *sets);
    producers[*sets].entries.push_back(entry);
  }
  for (auto& [state, list] : producers) {
    std::sort(list.entries.begin(), list.entries.end(),
              [](const Producers::Entry& a, const Producers::Entry& b) { return a.invoke < b.invoke; });
    const Producers::Entry none{-1, std::numeric_limits<std::int64_t>::min(), -2, -1};
    std::pair<Producers::Entry, Producers::Entry> latest{none, none};
    for (const Producers::Entry& e : list.entries) {
      if (e.overwritten_at > latest.first.overwritten_at) latest = {e, latest.first};
      else if (e.overwritten_at > latest.second.overwritten_at) latest.second = e;
      list.latest.push_back(latest);
    }
  }

  std::optional<OverwriteRefutation> earliest;
  std::int64_t earliest_complete = never;
  for (std::size_t i = 0; i < problem.ops.size(); ++i) {
    const SearchOp& op = problem.ops[i];
    if (op.indeterminate()) continue;
    auto needed = model.requires_state(op.input);
    if (!needed || op.complete_position >= earliest_complete) continue;
    OverwriteRefutation refutation{static_cast<std::int32_t>(i), *needed, -1, -1};
    auto found = producers.find(*needed);
    if (found != producers.end()) {
      const Producers& list = found->second;
      // The setters invoked before this op completed: only they can come before it.
      const auto end = std::lower_bound(list.entries.begin(), list.entries.end(), op.complete_position,
                                        [](const Producers::Entry& e, std::int64_t t) { return e.invoke < t; });
      if (end != list.entries.begin()) {
        const auto& [first, second] = list.latest[static_cast<std::size_t>(end - list.entries.begin() - 1)];
        const Producers::Entry& last = first.op == static_cast<std::int32_t>(i) ? second : first;
        if (last.op != -2) {
          if (last.overwritten_at >= op.invoke_position) continue;  // it may still hold
          refutation.setter = last.op;
          refutation.overwriter = last.overwriter;
        }
      }
    }
    earliest = refutation;
    earliest_complete = op.complete_position;
  }
  return earliest;
}

}  // namespace faultline
