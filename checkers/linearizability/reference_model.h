// The models' semantics written plainly over JSON states, for the brute-force checker
// (brute_force.h): no interning, no encoding, every nondeterministic choice spelled out.
// Nil reads are values here (ModelConventions{}); an op's micro-ops and results are read from
// the op itself, not from the model's prepare.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/op.h"

namespace faultline {

// The state before any op, given the user's initial value.
nlohmann::json reference_initial_state(std::string_view model, const nlohmann::json& initial);

// Every state the op may leave behind when applied to `state`; empty when it cannot happen
// there. `completion` is the ok completion, or null when the outcome is unknown. Throws
// std::invalid_argument when the op does not fit the model.
std::vector<nlohmann::json> reference_step(std::string_view model, const nlohmann::json& initial,
                                           const nlohmann::json& state, const Op& invocation, const Op* completion);

}  // namespace faultline
