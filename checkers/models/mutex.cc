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

ModelState init(ValueId) { return free_state; }

std::optional<ModelState> step(ModelState state, const ModelInput& input) {
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

std::string show_state(ModelState state, const ValueTable&) { return state == held_state ? "held" : "free"; }

std::string show_input(const ModelInput& input, const ValueTable&) {
  return input.f == acquire_f ? "acquire" : "release";
}

std::string explain(const ModelInput& input, std::span<const ModelState> states, const ValueTable& values) {
  const std::string can_be = "the mutex can only be " + join_states(states, values, show_state) + " here";
  return input.f == acquire_f ? "acquire succeeded, but " + can_be : "release succeeded, but " + can_be;
}

}  // namespace

const Model mutex_model{"mutex", "a lock: acquire succeeds only when free, release only when held",
                        prepare, init, step, is_blind, requires_state, sets_state,
                        explain, show_input, show_state};

}  // namespace faultline
