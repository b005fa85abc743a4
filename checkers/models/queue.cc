// Queues (Knossos' fifo-queue and unordered-queue): enqueue v, dequeue returning v. A dequeue
// that returned nil found the queue empty. The state is the list of values enqueued and not
// yet dequeued (value ids, as StateTable words), oldest first for the fifo queue, sorted for
// the unordered one (a multiset).
//
// A dequeue whose outcome is unknown (info, never completed) took the head of a fifo queue,
// or found it empty. From an unordered queue it took *some* element: rather than one state
// per choice, the unordered state keeps a count of such anonymous dequeues next to the
// multiset M. (M, d) stands for every multiset M minus d of its elements: a dequeue of v is
// possible when v is in M and another d elements are left to be the anonymous ones
// (|M| - 1 >= d), and leaves (M - v, d); an empty dequeue is possible when |M| = d, and leaves
// the empty queue. These are exactly the multisets the choices could have left, so the search
// stays exact (the brute force tries every choice; the property test compares the two).
#include <algorithm>

#include "model.h"
#include "model_text.h"

namespace faultline {
namespace {

enum QueueF : std::uint8_t { enqueue_f, dequeue_f, dequeue_empty_f, dequeue_unknown_f };

std::expected<std::optional<ModelInput>, std::string> prepare(const Op& invocation, const Op* completion,
                                                               const ModelConventions&, ValueTable& values,
                                                               std::string_view model) {
  if (invocation.f == "enqueue") return ModelInput{enqueue_f, values.intern(invocation.value)};
  if (invocation.f == "dequeue") {
    if (completion == nullptr) return ModelInput{dequeue_unknown_f};
    if (completion->value.is_null()) return ModelInput{dequeue_empty_f};
    return ModelInput{dequeue_f, values.intern(completion->value)};
  }
  return std::unexpected("the " + std::string(model) + " model has no function '" + invocation.f +
                         "' (it knows enqueue, dequeue)");
}

std::expected<ModelState, std::string> init(ValueId, const ValueTable&, StateTable& states) {
  return states.intern_words({});  // the empty fifo queue
}

std::expected<ModelState, std::string> init_unordered(ValueId, const ValueTable&, StateTable& states) {
  const std::int32_t no_anonymous_dequeues[] = {0};
  return states.intern_words(no_anonymous_dequeues);
}

std::optional<ModelState> step_fifo(ModelState state, const ModelInput& input, const ValueTable&, StateTable& states) {
  std::vector<std::int32_t> queue = states.words(state);
  switch (input.f) {
    case enqueue_f: queue.push_back(input.a); break;
    case dequeue_f:
      if (queue.empty() || queue.front() != input.a) return std::nullopt;
      queue.erase(queue.begin());
      break;
    case dequeue_empty_f: return queue.empty() ? std::optional<ModelState>(state) : std::nullopt;
    case dequeue_unknown_f:
      if (queue.empty()) return state;
      queue.erase(queue.begin());
      break;
  }
  return states.intern_words(queue);
}

// The unordered state's words: [d, M sorted...].
std::optional<ModelState> step_unordered(ModelState state, const ModelInput& input, const ValueTable&, StateTable& states) {
  std::vector<std::int32_t> words = states.words(state);
  std::int32_t& anonymous = words[0];
  const auto elements = static_cast<std::int32_t>(words.size() - 1);
  const auto begin = words.begin() + 1;
  switch (input.f) {
    case enqueue_f: words.insert(std::upper_bound(begin, words.end(), input.a), input.a); break;
    case dequeue_f: {
      const auto found = std::lower_bound(begin, words.end(), input.a);
      if (found == words.end() || *found != input.a || elements - 1 < anonymous) return std::nullopt;
      words.erase(found);
      break;
    }
    case dequeue_empty_f:
      if (elements != anonymous) return std::nullopt;
      words.assign(1, 0);
      break;
    case dequeue_unknown_f:
      if (elements == anonymous) return state;
      ++anonymous;
      break;
  }
  return states.intern_words(words);
}

bool is_blind(const ModelInput&) { return false; }

std::string show_values(std::span<const std::int32_t> ids, const ValueTable& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < ids.size(); ++i) text += (i > 0 ? " " : "") + values.show(ids[i]);
  return text + "]";
}

std::string show_fifo(ModelState state, const ValueTable& values, const StateTable& states) {
  return show_values(states.words(state), values);
}

std::string show_unordered(ModelState state, const ValueTable& values, const StateTable& states) {
  const std::vector<std::int32_t> words = states.words(state);
  std::string text = show_values(std::span(words).subspan(1), values);
  if (words[0] > 0) text += " less " + std::to_string(words[0]) + " taken by dequeues of unknown outcome";
  return text;
}

std::string show_input(const ModelInput& input, const ValueTable& values) {
  switch (input.f) {
    case enqueue_f: return "enqueue " + values.show(input.a);
    case dequeue_f: return "dequeue " + values.show(input.a);
    case dequeue_empty_f: return "dequeue nil (empty)";
    default: return "dequeue (outcome unknown)";
  }
}

std::string explain(const ModelInput& input, std::span<const ModelState> held, const ValueTable& values,
                    const StateTable& states, std::string (*show_state)(ModelState, const ValueTable&, const StateTable&)) {
  const std::string can_be = "the queue can only be " + join_states(held, values, states, show_state) + " here";
  if (input.f == dequeue_f) return "dequeue returned " + values.show(input.a) + ", but " + can_be;
  if (input.f == dequeue_empty_f) return "dequeue found the queue empty, but " + can_be;
  return show_input(input, values) + " cannot be placed here";
}

}  // namespace

extern const Model fifo_queue_model;  // extern: a namespace-scope const is otherwise private to its file
const Model fifo_queue_model{
    .name = "fifo-queue",
    .description = "a FIFO queue (enqueue, dequeue), Knossos' fifo-queue: a dequeue returns the oldest value still "
                   "queued; one that returned nil found the queue empty",
    .prepare = [](const Op& i, const Op* c, const ModelConventions& k, ValueTable& v) { return prepare(i, c, k, v, "fifo-queue"); },
    .init = init, .step = step_fifo, .is_blind = is_blind,
    .explain = [](const ModelInput& i, std::span<const ModelState> h, const ValueTable& v, const StateTable& s) {
      return explain(i, h, v, s, show_fifo);
    },
    .show_input = show_input, .show_state = show_fifo};

extern const Model unordered_queue_model;
const Model unordered_queue_model{
    .name = "unordered-queue",
    .description = "a queue without order (enqueue, dequeue), Knossos' unordered-queue: a dequeue returns any value "
                   "still queued; one that returned nil found the queue empty",
    .prepare = [](const Op& i, const Op* c, const ModelConventions& k, ValueTable& v) {
      return prepare(i, c, k, v, "unordered-queue");
    },
    .init = init_unordered, .step = step_unordered, .is_blind = is_blind,
    .explain = [](const ModelInput& i, std::span<const ModelState> h, const ValueTable& v, const StateTable& s) {
      return explain(i, h, v, s, show_unordered);
    },
    .show_input = show_input, .show_state = show_unordered};

}  // namespace faultline
