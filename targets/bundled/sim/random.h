// The simulations' only source of randomness: one generator per run, from the run's seed.
#pragma once

#include <cstdint>
#include <random>

namespace faultline::sim {

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}
  // Uniform in [low, high]. Written out rather than std::uniform_int_distribution, whose
  // output may differ between standard libraries; seeds must replay everywhere.
  std::int64_t between(std::int64_t low, std::int64_t high) {
    if (high <= low) return low;
    const std::uint64_t span = static_cast<std::uint64_t>(high - low) + 1;
    return low + static_cast<std::int64_t>(engine_() % span);
  }
  bool percent(int chance) { return between(0, 99) < chance; }
  std::uint64_t next() { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

}  // namespace faultline::sim
