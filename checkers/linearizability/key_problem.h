// One key's share of a history, in the form the search wants (P-compositionality: each key
// is an independent object, so each is checked alone).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "history/history.h"
#include "models/model.h"

namespace faultline {

// An operation the search may linearize.
struct SearchOp {
  ModelInput input;
  std::int64_t invoke_position = 0;    // in the history
  std::int64_t complete_position = -1; // -1: indeterminate (info, or never completed)
  // Indeterminate ops with the same input are interchangeable once invoked; they form a class
  // and the search only ever linearizes a class's earliest member not yet linearized.
  std::int32_t info_class = -1;
  std::int32_t class_rank = 0;

  bool indeterminate() const { return complete_position < 0; }
};

// One entry of the Wing-Gong event list: an op's call or its return.
struct SearchEvent {
  std::int32_t op = 0;
  bool is_call = true;
};

struct KeyProblem {
  std::string key;             // empty for ops without a key
  std::vector<SearchOp> ops;   // determinate ops first (by invocation), then indeterminate
  std::int32_t determinate_count = 0;
  std::int32_t class_count = 0;
  std::vector<std::int32_t> class_sizes;
  std::vector<SearchEvent> events;  // calls and returns in history order
  // Largest number of determinate ops invoked after op i and before i returns, over all i:
  // how far past the first unlinearized determinate op a linearized one can be.
  std::int32_t window = 0;
};

struct PreparedProblems {
  std::vector<KeyProblem> keys;
  ValueTable values;
  // The initial state, interned in `initial_states`: each key's search starts from a copy.
  StateTable initial_states;
  ModelState initial_state = 0;
  std::int64_t client_ops = 0;  // invocations of client processes (fail included)
};

// Splits `history` by key and prepares each op for `model`. Nemesis ops are skipped; fail ops
// are left out (they did not happen). An op the model cannot read is an InputError naming
// the source and line; so is an --initial value the model cannot start from.
Expected<PreparedProblems> prepare_problems(const History& history, const Model& model,
                                            const ModelConventions& conventions, const nlohmann::json& initial);

}  // namespace faultline
