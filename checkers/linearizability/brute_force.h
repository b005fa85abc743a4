// A dumb linearizability checker for tests: tries every order of the operations that real
// time allows, each indeterminate op included or left out. Exponential: only for histories
// of a handful of ops. Keys are ignored (the whole history is one register).
#pragma once

#include <nlohmann/json.hpp>

#include "history/history.h"
#include "models/model.h"
#include "verdict.h"

namespace faultline {

// valid or invalid; throws std::invalid_argument when an op does not fit the model.
Verdict check_linearizability_brute_force(const History& history, const Model& model, const nlohmann::json& initial);

}  // namespace faultline
