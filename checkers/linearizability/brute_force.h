// A dumb linearizability checker for tests: tries every order of the operations that real
// time allows, each indeterminate op included or left out. Exponential: only for histories
// of a handful of ops.
//
// It does not use the models' code: each model's semantics is written again here, plainly,
// over JSON states (reference_model.h), with every nondeterministic choice tried (an unknown
// dequeue from an unordered queue may have taken any element). So a property test against it
// checks the model's encoding and interning too, not only the search. Register, cas-register
// and mutex ignore keys (the whole history is one object); kv keeps one string per key.
#pragma once

#include <nlohmann/json.hpp>

#include "history/history.h"
#include "models/model.h"
#include "verdict.h"

namespace faultline {

// valid or invalid; throws std::invalid_argument when an op does not fit the model.
Verdict check_linearizability_brute_force(const History& history, const Model& model, const nlohmann::json& initial);

}  // namespace faultline
