// The key-value store with append (Porcupine's kvModel): get, put and append on strings. Ops
// are checked per key (each op's key field), so the state is one key's string, interned in
// the search's StateTable. Jepsen's read and write are accepted as get and put.
#include "model.h"
#include "model_text.h"

namespace faultline {
namespace {

enum KvF : std::uint8_t { get_f, put_f, append_f };

// Beyond this a state is shown by its end (what the last appends wrote) and its length.
constexpr std::size_t shown_state_bytes_max = 48;

std::expected<std::optional<ModelInput>, std::string> prepare(const Op& invocation, const Op* completion,
                                                               const ModelConventions& conventions, ValueTable& values) {
  const std::string& f = invocation.f;
  if (f == "get" || f == "read") {
    if (completion == nullptr) return std::nullopt;  // changes nothing: can be left out
    const nlohmann::json& seen = completion->value;
    if (seen.is_null()) {
      if (conventions.nil_read_matches_any) return std::nullopt;
      return ModelInput{get_f, values.intern("")};  // a key never written reads as the empty string
    }
    if (!seen.is_string()) return std::unexpected("a kv get returns a string or nil, got " + seen.dump());
    return ModelInput{get_f, values.intern(seen)};
  }
  const bool put = f == "put" || f == "write";
  if (put || f == "append") {
    if (!invocation.value.is_string())
      return std::unexpected("a kv " + f + " takes a string, got " + invocation.value.dump());
    return ModelInput{put ? put_f : append_f, values.intern(invocation.value)};
  }
  return std::unexpected("the kv model has no function '" + f + "' (it knows get, put, append; read and write are get and put)");
}

const std::string& text(const ValueTable& values, std::int32_t id) {
  return values.value(id).get_ref<const std::string&>();
}

std::expected<ModelState, std::string> init(ValueId initial, const ValueTable& values, StateTable& states) {
  const nlohmann::json& value = values.value(initial);
  if (value.is_null()) return states.intern("");
  if (!value.is_string())
    return std::unexpected("the kv model starts every key from a string (--initial '\"text\"') or nil (the empty string), got " +
                           value.dump());
  return states.intern(value.get_ref<const std::string&>());
}

std::optional<ModelState> step(ModelState state, const ModelInput& input, const ValueTable& values, StateTable& states) {
  switch (input.f) {
    case get_f: return states.bytes(state) == text(values, input.a) ? std::optional<ModelState>(state) : std::nullopt;
    case put_f: return states.intern(text(values, input.a));
    case append_f: {
      std::string appended(states.bytes(state));  // a copy: intern may move the table's bytes
      appended += text(values, input.a);
      return states.intern(appended);
    }
  }
  return std::nullopt;
}

bool is_blind(const ModelInput& input) { return input.f == put_f; }

std::string show_text(std::string_view bytes) {
  if (bytes.size() <= shown_state_bytes_max) return nlohmann::json(std::string(bytes)).dump();
  return "\"..." + nlohmann::json(std::string(bytes.substr(bytes.size() - shown_state_bytes_max))).dump().substr(1) + " (" +
         std::to_string(bytes.size()) + " bytes)";
}

std::string show_state(ModelState state, const ValueTable&, const StateTable& states) { return show_text(states.bytes(state)); }

std::string show_input(const ModelInput& input, const ValueTable& values) {
  static constexpr const char* names[] = {"get ", "put ", "append "};
  return names[input.f] + show_text(text(values, input.a));
}

std::string explain(const ModelInput& input, std::span<const ModelState> held, const ValueTable& values,
                    const StateTable& states) {
  const std::string can_hold = "the key can only hold " + join_states(held, values, states, show_state) + " here";
  if (input.f == get_f) return "get returned " + show_text(text(values, input.a)) + ", but " + can_hold;
  return show_input(input, values) + " cannot be placed here";
}

}  // namespace

extern const Model kv_model;  // extern: a namespace-scope const is otherwise private to its file
const Model kv_model{
    .name = "kv",
    .description = "a key-value store of strings (get, put, append; read and write are get and put), Porcupine's "
                   "kvModel: a get returns the key's whole string, append concatenates; checked per key (a key never "
                   "written holds --initial, default the empty string)",
    .prepare = prepare, .init = init, .step = step, .is_blind = is_blind,
    .explain = explain, .show_input = show_input, .show_state = show_state};

}  // namespace faultline
