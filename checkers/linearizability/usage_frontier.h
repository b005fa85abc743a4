// For each place the search has been (a StateCache entry: the determinate ops linearized and
// the model state), the ways it got there using indeterminate ops: how many of each class
// it had used. Having used fewer of every class is strictly better (more ops are left to
// use later, all invoked already), so a way that used at least as many of each class as a
// way already explored cannot succeed where that one failed: the search prunes it. Each
// place keeps only its minimal ways (a Pareto frontier).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace faultline {

class UsageFrontier {
 public:
  explicit UsageFrontier(std::size_t class_count) : class_count_(class_count) {}

  // True when some usage recorded at `place` is at most `usage` in every class.
  bool dominated(std::int32_t place, std::span<const std::int32_t> usage) const;

  // Records `usage` at `place`, dropping the usages it dominates.
  void add(std::int32_t place, std::span<const std::int32_t> usage);

  std::size_t bytes() const;

 private:
  struct Node {
    std::int32_t next;     // -1: end of the list
    std::uint32_t usage;   // offset of its counts in usages_
  };
  bool at_most(std::uint32_t offset, std::span<const std::int32_t> usage) const;

  std::size_t class_count_;
  std::vector<std::int32_t> heads_;   // per place: first node, or -1
  std::vector<Node> nodes_;
  std::vector<std::int32_t> usages_;
};

}  // namespace faultline
