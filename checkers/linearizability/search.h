// The Wing-Gong/Lowe search for one key: a depth-first walk of the event list that
// linearizes one op at a time, backtracks at the first return it cannot get past, and
// memoizes every (linearized set, model state) it has been in.
//
// Beyond the textbook algorithm:
//  - Determinate ops below the first unlinearized one are all linearized, so the memo key
//    keeps that index and a window of bits after it, not the whole set.
//  - Indeterminate ops with the same input are interchangeable once invoked; only the
//    earliest of a class not yet linearized is tried, and the memo key keeps a count.
//  - An indeterminate op is only ever useful right before an op that reads its effect: it is
//    never followed by a blind write and never tried when it leaves the state unchanged.
//  - States are interned (models/state_table.h), so a memo entry holds one word of state
//    whatever the model's state is: a string, a queue, a map.
// It owns no clock: `out_of_budget` is asked now and then whether to give up (unknown).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "key_problem.h"
#include "verdict.h"

namespace faultline {

struct KeyOutcome {
  Verdict verdict = Verdict::valid;
  std::string unknown_reason;
  // When invalid: the longest linearizable order found (op numbers of the problem), the op
  // that could not be placed after it, and the states in which it could not be placed.
  std::vector<std::int32_t> linearized;
  std::int32_t blocker = -1;
  std::vector<ModelState> blocker_states;  // ids in the search's StateTable
  std::size_t cache_entries = 0;
  std::size_t cache_bytes = 0;
};

// Asked every few thousand steps with the bytes the search's memo holds now; true: give up.
using BudgetCheck = std::function<bool(std::size_t cache_bytes, std::string& reason)>;

// `states` holds `initial_state` and receives every state the search reaches; the memory
// budget counts it with the memo.
KeyOutcome search_key(const KeyProblem& problem, const Model& model, const ValueTable& values, StateTable& states,
                      ModelState initial_state, const BudgetCheck& out_of_budget);

}  // namespace faultline
