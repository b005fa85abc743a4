// Small text helpers shared by the models' explanations.
#pragma once

#include <span>
#include <string>

#include "model.h"

namespace faultline {

// "0", "0 or 4", "0, 2 or 4": the states as people read them, in the model's words.
std::string join_states(std::span<const ModelState> states, const ValueTable& values, const StateTable& state_table,
                        std::string (*show_state)(ModelState, const ValueTable&, const StateTable&));

}  // namespace faultline
