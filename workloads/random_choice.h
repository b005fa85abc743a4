// Drawing from the one seeded random source (STYLE principle 8) in a way that gives the same
// sequence on every standard library: std::uniform_int_distribution is not specified bit for
// bit, so a seed printed on one machine could replay differently on another.
#pragma once

#include <cassert>
#include <cstdint>
#include <random>

namespace faultline {

// A number in [0, bound). The modulo bias is below bound / 2^64: nothing for the small
// bounds workloads use.
inline std::int64_t uniform_below(std::mt19937_64& random, std::int64_t bound) {
  assert(bound > 0);
  return static_cast<std::int64_t>(random() % static_cast<std::uint64_t>(bound));
}

}  // namespace faultline
