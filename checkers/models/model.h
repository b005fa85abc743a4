// Models of the systems a history is checked against (STYLE principle 5): values made of
// pure functions, as in Porcupine. Adding a model touches its own file (models/<name>.cc,
// which defines one `const Model`) plus one line in models/model_registry.cc; the build
// picks up every file in models/, and `faultline check --help` lists the registered models.
//
// Values are interned into a ValueTable and states into a StateTable, so that a model's
// inputs and states are small integers: the search copies and compares them millions of
// times. A model whose state is one value (a register, a mutex) uses the value's id as its
// state and ignores the StateTable; one whose state is a string, a list, a map or a multiset
// writes it as bytes and interns it (state_table.h).
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/op.h"
#include "state_table.h"

namespace faultline {

using ValueId = std::int32_t;
using ListId = std::int32_t;

// Interns JSON values, and lists of value ids (an input made of several values, such as a
// transaction's micro-ops). `nil_value` (JSON null) is always id 0.
class ValueTable {
 public:
  static constexpr ValueId nil_value = 0;
  ValueTable();
  ValueId intern(const nlohmann::json& value);
  const nlohmann::json& value(ValueId id) const { return values_[static_cast<std::size_t>(id)]; }
  // The value as people read it: "nil", "3", "\"a\"".
  std::string show(ValueId id) const;

  ListId intern_list(std::span<const ValueId> list);
  std::span<const ValueId> list(ListId id) const {
    const auto i = static_cast<std::size_t>(id);
    return std::span<const ValueId>(list_words_).subspan(list_offsets_[i], list_offsets_[i + 1] - list_offsets_[i]);
  }

 private:
  std::unordered_map<std::int64_t, ValueId> integer_ids_;  // most values: no text needed
  std::unordered_map<std::string, ValueId> ids_;
  std::vector<nlohmann::json> values_;
  std::unordered_map<std::string, ListId> list_ids_;  // by the list's bytes
  std::vector<ValueId> list_words_;
  std::vector<std::size_t> list_offsets_{0};
};

// One operation as a model sees it: a model-specific function code and two interned ids
// whose meaning depends on the function (write: a = value; cas: a = from, b = to; a
// transaction: a = the ListId of its micro-ops).
struct ModelInput {
  std::uint8_t f = 0;
  std::int32_t a = ValueTable::nil_value;
  std::int32_t b = ValueTable::nil_value;
  friend bool operator==(const ModelInput&, const ModelInput&) = default;
};

// Conventions of the tool that recorded a history, where tools differ.
struct ModelConventions {
  // Knossos (and so Jepsen's checker) takes a read that returned nil as a read whose value is
  // not known: it matches any state. Elsewhere nil is a value: the register is empty.
  bool nil_read_matches_any = false;
};

struct Model {
  std::string_view name;
  // For `faultline check --help`: what the state is and which functions (f) the model takes.
  std::string_view description;

  // Turns an operation into the model's input. `completion` is the ok completion, or null when
  // the outcome is unknown (info, or never completed). Returns nullopt when the operation can
  // never change the state and its outcome is unknown (it can be left out), and an error
  // message when the op does not fit the model (unknown f, malformed value).
  std::expected<std::optional<ModelInput>, std::string> (*prepare)(const Op& invocation, const Op* completion,
                                                                    const ModelConventions& conventions,
                                                                    ValueTable& values);
  // The initial state, given the user's --initial value (an error message when the model
  // cannot start from it).
  std::expected<ModelState, std::string> (*init)(ValueId initial, const ValueTable& values, StateTable& states);
  // The state after `input`, or nullopt when `input` cannot happen in `state`.
  std::optional<ModelState> (*step)(ModelState state, const ModelInput& input, const ValueTable& values,
                                    StateTable& states);
  // True when `input` is legal in every state and its result does not depend on the state
  // (a blind write). The search never needs an indeterminate op right before one of these.
  bool (*is_blind)(const ModelInput& input);
  // The overwrite pass (overwrite_check.h), for models where every op either sets one fixed
  // state or changes nothing; null for the others (append, enqueue, transactions), which go
  // straight to the search.
  // The one state `input` can happen in, when there is one (a read of 3, cas 3->4, acquire);
  // nullopt when it can happen in several.
  std::optional<ModelState> (*requires_state)(const ModelInput& input) = nullptr;
  // The state `input` leaves behind (write 3, cas 3->4, acquire); nullopt when it leaves the
  // state as it was (a read).
  std::optional<ModelState> (*sets_state)(const ModelInput& input) = nullptr;
  // "read returned 3, but the register can only hold 0 or 4 here": why `input` cannot follow
  // any of `states`.
  std::string (*explain)(const ModelInput& input, std::span<const ModelState> states, const ValueTable& values,
                         const StateTable& state_table) = nullptr;
  // The input for people: "cas 1->3", "read 3".
  std::string (*show_input)(const ModelInput& input, const ValueTable& values) = nullptr;
  // The state for people: "3", "nil", "held".
  std::string (*show_state)(ModelState state, const ValueTable& values, const StateTable& states) = nullptr;

  bool has_overwrite_pass() const { return requires_state != nullptr && sets_state != nullptr; }
};

// The registered models (model_registry.cc), in the order help text lists them.
std::span<const Model* const> all_models();
const Model* find_model(std::string_view name);

}  // namespace faultline
