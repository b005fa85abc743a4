// The key-value store with append (Porcupine's kvModel): get, put and append on strings. Ops
// are checked per key (each op's key field), so the state is one key's string (KvState below).
// Jepsen's read and write are accepted as get and put.
#include <cstring>

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

// A value's string; nil (only ever the initial value) is the empty string.
const std::string& text(const ValueTable& values, std::int32_t id) {
  static const std::string empty;
  const nlohmann::json& value = values.value(id);
  return value.is_null() ? empty : value.get_ref<const std::string&>();
}

// A state is not the string itself but how it was made: a base string (put, or the initial
// value) and the appends since, as a chain of interned (previous state, appended value)
// records. An append is then O(1) and a state costs 24 bytes however long its string, where
// interning whole strings made every append copy and hash the key's whole string. Two ways of
// making the same string get two ids, which only costs the memo a duplicate; a get compares
// the string itself (length first, then chunk by chunk from the end, where appends differ).
struct KvState {
  std::int64_t previous = -1;  // the state appended to; -1: a base string
  std::int64_t length = 0;     // of the whole string
  std::int32_t value = 0;      // the base string, or the value appended
  std::int32_t unused = 0;     // zeroed: the bytes are the state's identity
};

KvState record(const StateTable& states, ModelState id) {
  KvState state;
  const std::string_view bytes = states.bytes(id);
  std::memcpy(&state, bytes.data(), sizeof state);
  return state;
}

ModelState intern(StateTable& states, const KvState& state) {
  return states.intern(std::string_view(reinterpret_cast<const char*>(&state), sizeof state));
}

ModelState intern_base(StateTable& states, const ValueTable& values, ValueId value) {
  return intern(states, KvState{-1, static_cast<std::int64_t>(text(values, value).size()), value, 0});
}

bool holds(const StateTable& states, const ValueTable& values, ModelState id, std::string_view seen) {
  KvState state = record(states, id);
  if (static_cast<std::size_t>(state.length) != seen.size()) return false;
  std::size_t end = seen.size();
  while (true) {
    const std::string& chunk = text(values, state.value);
    if (state.previous < 0) return end == chunk.size() && seen.substr(0, end) == chunk;
    end -= chunk.size();
    if (seen.substr(end, chunk.size()) != chunk) return false;
    state = record(states, state.previous);
  }
}

std::string whole_string(const StateTable& states, const ValueTable& values, ModelState id) {
  std::vector<std::int32_t> chunks;
  for (KvState state = record(states, id);; state = record(states, state.previous)) {
    chunks.push_back(state.value);
    if (state.previous < 0) break;
  }
  std::string whole;
  for (auto chunk = chunks.rbegin(); chunk != chunks.rend(); ++chunk) whole += text(values, *chunk);
  return whole;
}

std::expected<ModelState, std::string> init(ValueId initial, const ValueTable& values, StateTable& states) {
  const nlohmann::json& value = values.value(initial);
  if (!value.is_null() && !value.is_string())
    return std::unexpected("the kv model starts every key from a string (--initial '\"text\"') or nil (the empty string), got " +
                           value.dump());
  return intern_base(states, values, initial);
}

std::optional<ModelState> step(ModelState state, const ModelInput& input, const ValueTable& values, StateTable& states) {
  switch (input.f) {
    case get_f: return holds(states, values, state, text(values, input.a)) ? std::optional<ModelState>(state) : std::nullopt;
    case put_f: return intern_base(states, values, input.a);
    case append_f:
      return intern(states, KvState{state, record(states, state).length + static_cast<std::int64_t>(text(values, input.a).size()),
                                    input.a, 0});
  }
  return std::nullopt;
}

bool is_blind(const ModelInput& input) { return input.f == put_f; }

std::string show_text(std::string_view bytes) {
  if (bytes.size() <= shown_state_bytes_max) return nlohmann::json(std::string(bytes)).dump();
  return "\"..." + nlohmann::json(std::string(bytes.substr(bytes.size() - shown_state_bytes_max))).dump().substr(1) + " (" +
         std::to_string(bytes.size()) + " bytes)";
}

std::string show_state(ModelState state, const ValueTable& values, const StateTable& states) {
  return show_text(whole_string(states, values, state));
}

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
