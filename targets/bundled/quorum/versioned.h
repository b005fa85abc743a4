// Dynamo-style quorum replication: values carry a timestamp (counter, node) and replicas keep
// the highest. Timestamps come from a Lamport clock (the writer first asks R replicas for the
// highest counter) or from the node's wall clock plus an offset (which clock skew breaks).
#pragma once

#include <algorithm>
#include <compare>
#include <cstdint>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "../reserved_counter.h"

namespace faultline::quorum {

struct Timestamp {
  std::int64_t counter = 0;  // Lamport counter, or microseconds of wall-clock time
  std::uint32_t node = 0;
  friend auto operator<=>(const Timestamp&, const Timestamp&) = default;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

inline std::string to_string(const Timestamp& ts) { return std::to_string(ts.counter) + "." + std::to_string(ts.node); }

struct Versioned {
  nlohmann::json value;  // null when never written
  Timestamp timestamp;   // zero when never written
  friend bool operator==(const Versioned&, const Versioned&) = default;
};

// "What do you hold for key?"
struct ReadRequest {
  std::string key;
};
struct ReadReply {
  std::string key;
  Versioned versioned;
};
// "Keep this version if it is newer than yours."
struct WriteRequest {
  std::string key;
  Versioned versioned;
};
struct WriteAck {
  std::string key;
  Timestamp timestamp;
};

using ReplicaRequest = std::variant<ReadRequest, WriteRequest>;
using ReplicaReply = std::variant<ReadReply, WriteAck>;

enum class TimestampMode { lamport, wallclock };

// The node's source of timestamps, never handing out the same one twice, even across a crash
// (a reserved counter, as Paxos ballots use). Time comes in as an argument (STYLE principle 2).
class TimestampSource {
 public:
  static constexpr std::int64_t reservation_block = 1024;

  TimestampSource(std::uint32_t node, std::int64_t reserved) : node_(node), counter_(reserved) {}

  struct Next {
    Timestamp timestamp;
    std::int64_t reserve = 0;  // nonzero: persist this reservation before using the timestamp
  };
  // Lamport: above every counter seen.
  Next next_lamport(std::int64_t highest_seen) { return issue(highest_seen + 1); }
  // Wall clock: the clock reading (already offset), nudged to stay above this node's last one.
  Next next_wallclock(std::int64_t clock_us) { return issue(clock_us); }

 private:
  Next issue(std::int64_t at_least) {
    // Wall-clock counters are microseconds: reserve a second ahead rather than 1024 steps.
    const std::int64_t block = at_least > 1'000'000'000 ? 1'000'000 : reservation_block;
    const auto issued = counter_.issue(at_least, block);
    return {Timestamp{issued.value, node_}, issued.reserve};
  }
  std::uint32_t node_;
  bundled::ReservedCounter<std::int64_t> counter_;
};

}  // namespace faultline::quorum
