// Checks a simulated history the way faultline checks a real one: History::build, then the
// linearizability checker against the cas-register model. Test-only (links the checkers).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "history/op.h"
#include "verdict.h"

namespace faultline::sim {

struct SimCheck {
  Verdict verdict = Verdict::unknown;
  std::string explanation;  // the checker's anomaly or error, and the history, when not valid
};

SimCheck check_simulated_history(const std::vector<Op>& ops);

// Seeds to run: FAULTLINE_SIM_SEED=N runs only seed N; FAULTLINE_SIM_SEEDS=K overrides the count.
std::vector<std::uint64_t> simulation_seeds(std::uint64_t default_count);

}  // namespace faultline::sim
