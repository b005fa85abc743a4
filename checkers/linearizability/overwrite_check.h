// A quick, sound refutation that runs before the search: an op that needs a state (a read of
// 3, cas 3->4) cannot be linearized when every op that could have set that state before it
// was certainly overwritten before it began, by a determinate op that set another state.
// (Any order must place the last such setter before the op, and its overwriter between the
// two.) It finds stale reads and lost writes in linear-logarithmic time, where the search
// would have to rule out every order of everything before them first; what it does not
// find, the search still does.
#pragma once

#include <optional>

#include "key_problem.h"

namespace faultline {

struct OverwriteRefutation {
  std::int32_t op = -1;          // the op that cannot be placed
  ModelState needed = 0;         // the state it needs
  std::int32_t setter = -1;      // the last op that set that state before it; -1: the initial state
  std::int32_t overwriter = -1;  // the op that overwrote it before `op` began; -1 when nothing ever set it
};

// The earliest op (by completion) that the rule refutes, if any.
std::optional<OverwriteRefutation> find_overwritten_state(const KeyProblem& problem, const Model& model,
                                                          ModelState initial_state);

}  // namespace faultline
