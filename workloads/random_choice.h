// Drawing from the one seeded random source (STYLE principle 8) in a way that gives the same
// sequence on every standard library: std::uniform_int_distribution is not specified bit for
// bit, so a seed printed on one machine could replay differently on another.
#pragma once

#include <cassert>
#include <cstdint>
#include <random>

namespace faultline {

// A number in [0, bound), unbiased: draws below 2^64 mod bound are rejected, which leaves a
// range that is a multiple of bound. The one such helper of the project: workloads, the
// nemesis planners and the proxy all draw through it.
inline std::int64_t uniform_below(std::mt19937_64& random, std::int64_t bound) {
  assert(bound > 0);
  const auto range = static_cast<std::uint64_t>(bound);
  const std::uint64_t threshold = (0 - range) % range;
  while (true) {
    const std::uint64_t draw = random();
    if (draw >= threshold) return static_cast<std::int64_t>(draw % range);
  }
}

}  // namespace faultline
