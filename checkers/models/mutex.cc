// The mutex (acquire, release): the state is whether it is held. As in Knossos, the owner is
// not tracked.
#include "model.h"
#include "model_text.h"

namespace faultline {
namespace {

enum MutexF : std::uint8_t { acquire_f, release_f };
constexpr ModelState free_state = 0;
constexpr ModelState held_state = 1;

std::expected<std::optional<ModelInput>, std::string> prepare(const Op& invocation, const Op*, const ModelConventions&, ValueTable&) {
  if (invocation.f == "acquire") return ModelInput{acquire_f};
  if (invocation.f == "release") return ModelInput{release_f};
  return std::unexpected("the mutex model has no function '" + invocation.f + "' (it knows acquire, release)");
}

std::expected<ModelState, std::string> init(ValueId, const ValueTable&, StateTable&) { return free_state; }

std::optional<ModelState> step(ModelState state, const ModelInput& input, const ValueTable&, StateTable&) {
  if (input.f == acquire_f) return state == free_state ? std::optional<ModelState>(held_state) : std::nullopt;
  return state == held_state ? std::optional<ModelState>(free_state) : std::nullopt;
}

bool is_blind(const ModelInput&) { return false; }

std::optional<ModelState> requires_state(const ModelInput& input) {
  return input.f == acquire_f ? free_state : held_state;
}

std::optional<ModelState> sets_state(const ModelInput& input) {
  return input.f == acquire_f ? held_state : free_state;
}

std::string show_state(ModelState state, const ValueTable&, const StateTable&) { return state == held_state ? "held" : "free"; }

std::string show_input(const ModelInput& input, const ValueTable&) {
  return input.f == acquire_f ? "acquire" : "release";
}

std::string explain(const ModelInput& input, std::span<const ModelState> states, const ValueTable& values,
                    const StateTable& state_table) {
  const std::string can_be = "the mutex can only be " + join_states(states, values, state_table, show_state) + " here";
  return input.f == acquire_f ? "acquire succeeded, but " + can_be : "release succeeded, but " + can_be;
}

}  // namespace

extern const Model mutex_model;  // extern: a namespace-scope const is otherwise private to its file
const Model mutex_model{
    .name = "mutex",
    .description = "a lock (acquire, release): acquire succeeds only when free, release only when held; owners are not tracked",
    .prepare = prepare, .init = init, .step = step, .is_blind = is_blind, .requires_state = requires_state,
    .sets_state = sets_state, .explain = explain, .show_input = show_input, .show_state = show_state};

}  // namespace faultline
