// Models of the systems a history is checked against (STYLE principle 5): values made of
// pure functions, as in Porcupine. Adding a model touches one file plus one line in model.cc.
//
// Values are interned into a ValueTable so that a model's state and inputs are small
// integers; the search copies and compares them millions of times.
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

namespace faultline {

using ValueId = std::int32_t;

// Interns JSON values. `nil_value` (JSON null) is always id 0.
class ValueTable {
 public:
  static constexpr ValueId nil_value = 0;
  ValueTable();
  ValueId intern(const nlohmann::json& value);
  const nlohmann::json& value(ValueId id) const { return values_[static_cast<std::size_t>(id)]; }
  // The value as people read it: "nil", "3", "\"a\"".
  std::string show(ValueId id) const;

 private:
  std::unordered_map<std::int64_t, ValueId> integer_ids_;  // most values: no text needed
  std::unordered_map<std::string, ValueId> ids_;
  std::vector<nlohmann::json> values_;
};

using ModelState = std::int64_t;

// One operation as a model sees it: a model-specific function code and two interned
// values whose meaning depends on the function (write: a = value; cas: a = from, b = to).
struct ModelInput {
  std::uint8_t f = 0;
  ValueId a = ValueTable::nil_value;
  ValueId b = ValueTable::nil_value;
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
  std::string_view description;

  // Turns an operation into the model's input. `completion` is the ok completion, or null when
  // the outcome is unknown (info, or never completed). Returns nullopt when the operation can
  // never change the state and its outcome is unknown (it can be left out), and an error
  // message when the op does not fit the model (unknown f, malformed value).
  std::expected<std::optional<ModelInput>, std::string> (*prepare)(const Op& invocation, const Op* completion,
                                                                    const ModelConventions& conventions,
                                                                    ValueTable& values);
  // The initial state, given the user's --initial value.
  ModelState (*init)(ValueId initial);
  // The state after `input`, or nullopt when `input` cannot happen in `state`.
  std::optional<ModelState> (*step)(ModelState state, const ModelInput& input);
  // True when `input` is legal in every state and its result does not depend on the state
  // (a blind write). The search never needs an indeterminate op right before one of these.
  bool (*is_blind)(const ModelInput& input);
  // The one state `input` can happen in, when there is one (a read of 3, cas 3->4, acquire);
  // nullopt when it can happen in several.
  std::optional<ModelState> (*requires_state)(const ModelInput& input);
  // The state `input` leaves behind (write 3, cas 3->4, acquire); nullopt when it leaves the
  // state as it was (a read). Every op of a model either sets a fixed state or changes nothing.
  std::optional<ModelState> (*sets_state)(const ModelInput& input);
  // "read returned 3, but the register can only hold 0 or 4 here": why `input` cannot follow
  // any of `states`.
  std::string (*explain)(const ModelInput& input, std::span<const ModelState> states, const ValueTable& values);
  // The input for people: "cas 1->3", "read 3".
  std::string (*show_input)(const ModelInput& input, const ValueTable& values);
  // The state for people: "3", "nil", "held".
  std::string (*show_state)(ModelState state, const ValueTable& values);
};

// The models by name: register, cas-register, mutex.
std::span<const Model* const> all_models();
const Model* find_model(std::string_view name);

extern const Model register_model;
extern const Model cas_register_model;
extern const Model mutex_model;

}  // namespace faultline
