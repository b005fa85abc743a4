#include "search.h"

#include <algorithm>
#include <cassert>

#include "state_cache.h"
#include "usage_frontier.h"

namespace faultline {
namespace {

constexpr std::uint64_t after_indeterminate_bit = 1ull << 62;
constexpr std::size_t budget_check_interval_steps = 4096;
constexpr std::size_t blocker_states_max = 16;

// The event list with O(1) removal and reinsertion (dancing links). Node 0 is the head;
// node i + 1 is problem.events[i].
class EventList {
 public:
  explicit EventList(const KeyProblem& problem) : next_(problem.events.size() + 2), prev_(next_.size()) {
    for (std::size_t i = 0; i + 1 < next_.size(); ++i) {
      next_[i] = static_cast<std::int32_t>(i + 1);
      prev_[i + 1] = static_cast<std::int32_t>(i);
    }
    call_node_.assign(problem.ops.size(), -1);
    return_node_.assign(problem.ops.size(), -1);
    for (std::size_t i = 0; i < problem.events.size(); ++i) {
      const SearchEvent& event = problem.events[i];
      (event.is_call ? call_node_ : return_node_)[static_cast<std::size_t>(event.op)] = static_cast<std::int32_t>(i + 1);
    }
  }
  std::int32_t first() const { return next_[0]; }
  std::int32_t next(std::int32_t node) const { return next_[static_cast<std::size_t>(node)]; }
  bool is_end(std::int32_t node) const { return static_cast<std::size_t>(node) + 1 == next_.size(); }

  void lift(std::int32_t op) {
    remove(call_node_[static_cast<std::size_t>(op)]);
    if (return_node_[static_cast<std::size_t>(op)] >= 0) remove(return_node_[static_cast<std::size_t>(op)]);
  }
  void unlift(std::int32_t op) {
    if (return_node_[static_cast<std::size_t>(op)] >= 0) restore(return_node_[static_cast<std::size_t>(op)]);
    restore(call_node_[static_cast<std::size_t>(op)]);
  }

 private:
  void remove(std::int32_t node) {
    next_[static_cast<std::size_t>(prev_[static_cast<std::size_t>(node)])] = next_[static_cast<std::size_t>(node)];
    prev_[static_cast<std::size_t>(next_[static_cast<std::size_t>(node)])] = prev_[static_cast<std::size_t>(node)];
  }
  void restore(std::int32_t node) {
    next_[static_cast<std::size_t>(prev_[static_cast<std::size_t>(node)])] = node;
    prev_[static_cast<std::size_t>(next_[static_cast<std::size_t>(node)])] = node;
  }
  std::vector<std::int32_t> next_, prev_, call_node_, return_node_;
};

// Which ops are linearized, and its compact form as a memo key.
class LinearizedSet {
 public:
  explicit LinearizedSet(const KeyProblem& problem)
      : determinate_count_(problem.determinate_count),
        window_words_((static_cast<std::size_t>(problem.window) + 63) / 64),
        bits_((static_cast<std::size_t>(problem.determinate_count) + 64) / 64 + window_words_ + 1, 0),
        class_next_(static_cast<std::size_t>(problem.class_count), 0),
        key_(2 + window_words_, 0) {}

  std::size_t key_words() const { return key_.size(); }
  std::int32_t class_next(std::int32_t info_class) const { return class_next_[static_cast<std::size_t>(info_class)]; }
  // How many of each class of indeterminate ops are linearized.
  std::span<const std::int32_t> class_usage() const { return class_next_; }

  void add(const SearchOp& op, std::int32_t id) {
    if (op.indeterminate()) {
      ++class_next_[static_cast<std::size_t>(op.info_class)];
      return;
    }
    bits_[static_cast<std::size_t>(id) / 64] |= 1ull << (id % 64);
    if (id == first_missing_) {
      while (first_missing_ < determinate_count_ && has(first_missing_)) ++first_missing_;
    }
  }
  void remove(const SearchOp& op, std::int32_t id) {
    if (op.indeterminate()) {
      --class_next_[static_cast<std::size_t>(op.info_class)];
      return;
    }
    bits_[static_cast<std::size_t>(id) / 64] &= ~(1ull << (id % 64));
    first_missing_ = std::min(first_missing_, id);
  }

  // The memo key for this set with `state`, leaving out the indeterminate ops (see UsageFrontier).
  std::span<const std::uint64_t> key(ModelState state, bool after_indeterminate) {
    key_[0] = static_cast<std::uint64_t>(first_missing_) | (after_indeterminate ? after_indeterminate_bit : 0);
    key_[1] = static_cast<std::uint64_t>(state);
    // Bits first_missing_+1 .. first_missing_+window: later ones are never set (see KeyProblem::window).
    const std::size_t start = static_cast<std::size_t>(first_missing_) + 1;
    const std::size_t word = start / 64, shift = start % 64;
    for (std::size_t k = 0; k < window_words_; ++k) {
      std::uint64_t low = bits_[word + k] >> shift;
      std::uint64_t high = shift == 0 ? 0 : bits_[word + k + 1] << (64 - shift);
      key_[2 + k] = low | high;
    }
    return key_;
  }

 private:
  bool has(std::int32_t id) const { return (bits_[static_cast<std::size_t>(id) / 64] >> (id % 64)) & 1; }

  std::int32_t determinate_count_;
  std::size_t window_words_;
  std::vector<std::uint64_t> bits_;
  std::vector<std::int32_t> class_next_;
  std::int32_t first_missing_ = 0;
  std::vector<std::uint64_t> key_;
};

struct Frame {
  std::int32_t node;
  std::int32_t op;
  ModelState state;
  bool after_indeterminate;
};

}  // namespace

KeyOutcome search_key(const KeyProblem& problem, const Model& model, const ValueTable& values, StateTable& states,
                      ModelState initial_state, const BudgetCheck& out_of_budget) {
  KeyOutcome outcome;
  EventList list(problem);
  LinearizedSet linearized(problem);
  StateCache cache(linearized.key_words());
  UsageFrontier frontier(static_cast<std::size_t>(problem.class_count));
  auto memo_bytes = [&] { return cache.bytes() + frontier.bytes() + states.memory_bytes(); };
  // True when this place, reached this way, is new: not the same as, nor worse than, a way
  // already explored.
  auto first_visit = [&](ModelState next_state, bool indeterminate) {
    if (problem.class_count == 0) return cache.insert(linearized.key(next_state, false));
    const auto usage = linearized.class_usage();
    if (indeterminate) {
      // Right after an indeterminate op the search may do less than without: the same place
      // reached without that restriction, as well or better, covers it.
      const std::int32_t unrestricted = cache.find_entry(linearized.key(next_state, false));
      if (unrestricted >= 0 && frontier.dominated(unrestricted, usage)) return false;
    }
    auto [place, inserted] = cache.find_or_insert(linearized.key(next_state, indeterminate));
    if (!inserted && frontier.dominated(place, usage)) return false;
    frontier.add(place, usage);
    return true;
  };
  std::vector<Frame> stack;
  stack.reserve(problem.ops.size());

  ModelState state = initial_state;
  bool after_indeterminate = false;
  std::int32_t remaining = problem.determinate_count;
  std::size_t best_depth = 0;
  std::vector<std::vector<ModelState>> blocked_states(static_cast<std::size_t>(problem.determinate_count));
  std::size_t steps = 0;

  auto finish = [&](Verdict verdict) {
    outcome.verdict = verdict;
    outcome.cache_entries = cache.size();
    outcome.cache_bytes = memo_bytes();
    return outcome;
  };

  std::int32_t node = list.first();
  while (remaining > 0) {
    if (++steps % budget_check_interval_steps == 0 && out_of_budget(memo_bytes(), outcome.unknown_reason))
      return finish(Verdict::unknown);
    assert(!list.is_end(node));
    const SearchEvent& event = problem.events[static_cast<std::size_t>(node - 1)];
    const SearchOp& op = problem.ops[static_cast<std::size_t>(event.op)];
    if (event.is_call) {
      const bool indeterminate = op.indeterminate();
      bool allowed = !(after_indeterminate && model.is_blind(op.input));
      if (indeterminate && op.class_rank != linearized.class_next(op.info_class)) allowed = false;
      std::optional<ModelState> next_state;
      if (allowed) next_state = model.step(state, op.input, values, states);
      if (next_state && !(indeterminate && *next_state == state)) {
        linearized.add(op, event.op);
        if (first_visit(*next_state, indeterminate)) {
          stack.push_back(Frame{node, event.op, state, after_indeterminate});
          state = *next_state;
          after_indeterminate = indeterminate;
          list.lift(event.op);
          if (!indeterminate) --remaining;
          node = list.first();
          continue;
        }
        linearized.remove(op, event.op);
      }
      node = list.next(node);
      continue;
    }
    // A return: this op must be linearized before anything later, and it cannot be here.
    auto& blocked = blocked_states[static_cast<std::size_t>(event.op)];
    if (!model.step(state, op.input, values, states) && blocked.size() < blocker_states_max &&
        std::find(blocked.begin(), blocked.end(), state) == blocked.end())
      blocked.push_back(state);
    if (stack.size() > best_depth || outcome.blocker < 0) {
      best_depth = stack.size();
      outcome.blocker = event.op;
      outcome.linearized.clear();
      for (const Frame& frame : stack) outcome.linearized.push_back(frame.op);
    }
    if (stack.empty()) {
      outcome.blocker_states = blocked_states[static_cast<std::size_t>(outcome.blocker)];
      return finish(Verdict::invalid);
    }
    const Frame frame = stack.back();
    stack.pop_back();
    const SearchOp& undone = problem.ops[static_cast<std::size_t>(frame.op)];
    linearized.remove(undone, frame.op);
    list.unlift(frame.op);
    if (!undone.indeterminate()) ++remaining;
    state = frame.state;
    after_indeterminate = frame.after_indeterminate;
    node = list.next(frame.node);
  }
  outcome.linearized.clear();
  outcome.blocker = -1;
  return finish(Verdict::valid);
}

}  // namespace faultline
