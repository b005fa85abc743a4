// The register (read, write) and the compare-and-set register (read, write, cas). The state
// is the interned value the register holds.
#include "model.h"
#include "model_text.h"

namespace faultline {
namespace {

enum RegisterF : std::uint8_t { read_f, write_f, cas_f };

std::expected<std::optional<ModelInput>, std::string> prepare(const Op& invocation, const Op* completion,
                                                               const ModelConventions& conventions, ValueTable& values,
                                                               bool with_cas) {
  const std::string& f = invocation.f;
  if (f == "read") {
    // A read of unknown outcome changes nothing, and so can be left out.
    if (completion == nullptr) return std::nullopt;
    if (conventions.nil_read_matches_any && completion->value.is_null()) return std::nullopt;
    return ModelInput{read_f, values.intern(completion->value)};
  }
  if (f == "write") return ModelInput{write_f, values.intern(invocation.value)};
  if (f == "cas" && with_cas) {
    const nlohmann::json& v = invocation.value;
    if (!v.is_array() || v.size() != 2) return std::unexpected("cas expects the value [from, to], got " + v.dump());
    return ModelInput{cas_f, values.intern(v[0]), values.intern(v[1])};
  }
  return std::unexpected(std::string("the ") + (with_cas ? "cas-register" : "register") + " model has no function '" +
                         f + "' (it knows read, write" + (with_cas ? ", cas)" : "; cas needs --model cas-register)"));
}

std::expected<ModelState, std::string> init(ValueId initial, const ValueTable&, StateTable&) { return initial; }

std::optional<ModelState> step(ModelState state, const ModelInput& input, const ValueTable&, StateTable&) {
  switch (input.f) {
    case read_f: return state == input.a ? std::optional<ModelState>(state) : std::nullopt;
    case write_f: return input.a;
    case cas_f: return state == input.a ? std::optional<ModelState>(input.b) : std::nullopt;
  }
  return std::nullopt;
}

bool is_blind(const ModelInput& input) { return input.f == write_f; }

std::optional<ModelState> requires_state(const ModelInput& input) {
  if (input.f == write_f) return std::nullopt;
  return input.a;  // read: the value returned; cas: from
}

std::optional<ModelState> sets_state(const ModelInput& input) {
  switch (input.f) {
    case write_f: return input.a;
    case cas_f: return input.b;
    default: return std::nullopt;
  }
}

std::string show_state(ModelState state, const ValueTable& values, const StateTable&) { return values.show(static_cast<ValueId>(state)); }

std::string show_input(const ModelInput& input, const ValueTable& values) {
  switch (input.f) {
    case read_f: return "read " + values.show(input.a);
    case write_f: return "write " + values.show(input.a);
    case cas_f: return "cas " + values.show(input.a) + "->" + values.show(input.b);
  }
  return "?";
}

std::string explain(const ModelInput& input, std::span<const ModelState> states, const ValueTable& values,
                    const StateTable& state_table) {
  const std::string can_hold = "the register can only hold " + join_states(states, values, state_table, show_state) + " here";
  switch (input.f) {
    case read_f: return "read returned " + values.show(input.a) + ", but " + can_hold;
    case cas_f:
      return "cas " + values.show(input.a) + "->" + values.show(input.b) + " succeeded, so the register held " +
             values.show(input.a) + ", but " + can_hold;
    default: return "write " + values.show(input.a) + " cannot be placed here";
  }
}

}  // namespace

extern const Model register_model;  // extern: a namespace-scope const is otherwise private to its file
const Model register_model{
    .name = "register",
    .description = "a read/write register (read, write): a read returns the last value written, or the initial value",
    .prepare = [](const Op& i, const Op* c, const ModelConventions& k, ValueTable& v) { return prepare(i, c, k, v, false); },
    .init = init, .step = step, .is_blind = is_blind, .requires_state = requires_state, .sets_state = sets_state,
    .explain = explain, .show_input = show_input, .show_state = show_state};

extern const Model cas_register_model;
const Model cas_register_model{
    .name = "cas-register",
    .description = "a register with compare-and-set (read, write, cas): cas [from, to] succeeds only when the register holds from",
    .prepare = [](const Op& i, const Op* c, const ModelConventions& k, ValueTable& v) { return prepare(i, c, k, v, true); },
    .init = init, .step = step, .is_blind = is_blind, .requires_state = requires_state, .sets_state = sets_state,
    .explain = explain, .show_input = show_input, .show_state = show_state};

}  // namespace faultline
