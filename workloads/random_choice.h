// Drawing from the one seeded random source (STYLE principle 8) in a way that gives the same
// sequence on every standard library: std::uniform_int_distribution is not specified bit for
// bit, so a seed printed on one machine could replay differently on another.
#pragma once

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

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

// One of `choices` with a chance proportional to its weight; choices weighing 0 or less are
// never drawn. nullopt (and no draw) when none weighs anything. The planners' one weighted draw.
template <typename T>
struct Weighted {
  T choice;
  int weight;
};
template <typename T>
std::optional<T> choose_weighted(std::mt19937_64& random, const std::vector<Weighted<T>>& choices) {
  std::int64_t total = 0;
  for (const Weighted<T>& c : choices)
    if (c.weight > 0) total += c.weight;
  if (total == 0) return std::nullopt;
  std::int64_t draw = uniform_below(random, total);
  for (const Weighted<T>& c : choices) {
    if (c.weight <= 0) continue;
    if (draw < c.weight) return c.choice;
    draw -= c.weight;
  }
  assert(false && "the draw is below the total");
  return std::nullopt;
}

// 1 to `at_most` of `items` (the count drawn uniformly, then the items by the first steps of a
// Fisher-Yates shuffle), sorted. `items` must not be empty, `at_most` at least 1.
template <typename T>
std::vector<T> choose_some(std::mt19937_64& random, std::vector<T> items, std::size_t at_most) {
  assert(!items.empty() && at_most >= 1);
  const std::size_t count =
      1 + static_cast<std::size_t>(uniform_below(random, static_cast<std::int64_t>(std::min(at_most, items.size()))));
  for (std::size_t i = 0; i < count; ++i)
    std::swap(items[i], items[i + static_cast<std::size_t>(uniform_below(random, static_cast<std::int64_t>(items.size() - i)))]);
  items.resize(count);
  std::sort(items.begin(), items.end());
  return items;
}

}  // namespace faultline
