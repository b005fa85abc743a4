// What the simulation tests share: a seed's verdict checked, and on failure the command that
// reruns exactly that seed of the current test.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "../sim/sim_check.h"

namespace faultline::sim::testing {

inline std::string rerun_hint(std::uint64_t seed) {
  return "rerun: FAULTLINE_SIM_SEED=" + std::to_string(seed) + " build/tests/bundled_sim_test '" +
         Catch::getResultCapture().getCurrentTestName() + "'";
}

// True when the seed's history is linearizable; otherwise fails the current test with the
// verdict, the rerun command and the checker's explanation.
inline bool linearizable_or_fail(std::uint64_t seed, const SimCheck& check) {
  if (check.verdict == Verdict::valid) return true;
  FAIL_CHECK("seed " << seed << ": " << to_string(check.verdict) << "\n" << rerun_hint(seed) << "\n" << check.explanation);
  return false;
}

}  // namespace faultline::sim::testing
