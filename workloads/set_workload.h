// The set workload: clients add unique integers (0, 1, 2, ... in the order drawn) to a set,
// read it now and then, and every node is read once at the end; the set checker
// (checkers/set/set_checker.h) then says which acknowledged adds were lost, which elements
// came from nowhere or twice, and which showed up late.
//
// The KV API has no set type, so the set lives in `set_shard_count` keys "set-0".."set-7",
// each a JSON array; element x goes to shard x % set_shard_count (several shards, so that
// concurrent adds contend less). add(x) reads x's shard and compare-and-sets it from what it
// read to that plus x. A cas that fails certainly did not apply (the node says so for a
// compare mismatch, 409, and for every definite error), so the add re-reads and tries again,
// at most set_add_attempts_max times. Outcomes:
//   ok    a cas succeeded
//   info  a cas's outcome is unknown: x may be in the set (the add stops there)
//   fail  every cas failed, or a read failed before the next cas was sent: nothing of x was
//         written (reads change nothing, so a read's unknown outcome is still a fail here)
// Under the quorum protocol cas is a quorum read followed by a conditional write, not an
// atomic step: two adds to one shard can both succeed, the second overwriting the first, so
// an acknowledged add is lost. That is what this workload is for; the set checker reports it.
//
// A read (f "read", value null) reads every shard and answers the elements of all of them
// sorted, duplicates kept (an element stored twice is an anomaly the checker must see). The
// shards are read one after another, not as one snapshot; the checker only counts an element
// missing from a read that began after its add completed, and a linearizable shard shows
// such an element to every later read, so that is sound.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "workload.h"

namespace faultline {

inline constexpr int set_shard_count = 8;
// cas attempts per add, each after a fresh read of the shard.
inline constexpr int set_add_attempts_max = 10;
// The share of reads among the ops drawn during the run, in percent.
inline constexpr int set_read_percent = 10;
static_assert(set_read_percent > 0 && set_read_percent < 100, "the run needs both adds and reads");

// The key of the shard that holds `element`: "set-3".
std::string set_shard_key(std::int64_t element);

std::unique_ptr<Workload> make_set_workload();

}  // namespace faultline
