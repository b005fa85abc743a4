// A Paxos ballot: (counter, node). Unique because no two nodes share a node number and a node
// never reuses a counter (BallotSource persists a reservation before using counters above it).
// Ordered by counter, then node; the zero ballot is below every ballot a proposer issues.
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>
#include <string>

#include "../reserved_counter.h"

namespace faultline::paxos {

struct Ballot {
  std::uint64_t counter = 0;
  std::uint32_t node = 0;

  bool is_zero() const { return counter == 0 && node == 0; }
  friend auto operator<=>(const Ballot&, const Ballot&) = default;
  friend bool operator==(const Ballot&, const Ballot&) = default;
};

// "7.2" (counter.node), for /status and messages.
inline std::string to_string(const Ballot& ballot) {
  return std::to_string(ballot.counter) + "." + std::to_string(ballot.node);
}

// Hands out this node's ballots, from a reserved counter (a restart resumes above every
// counter the node may have used).
class BallotSource {
 public:
  static constexpr std::uint64_t reservation_block = 1024;

  BallotSource(std::uint32_t node, std::uint64_t reserved) : node_(node), counter_(reserved) {}

  struct Next {
    Ballot ballot;
    std::uint64_t reserve = 0;  // nonzero: persist this reservation before sending the ballot
  };
  // A ballot above every counter used so far and above `at_least_counter`.
  Next next(std::uint64_t at_least_counter) {
    const auto issued = counter_.issue(at_least_counter + 1, reservation_block);
    return {Ballot{issued.value, node_}, issued.reserve};
  }
  std::uint64_t reserved() const { return counter_.reserved(); }

 private:
  std::uint32_t node_;
  bundled::ReservedCounter<std::uint64_t> counter_;
};

}  // namespace faultline::paxos
