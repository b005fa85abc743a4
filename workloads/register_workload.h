// The register workloads: clients read, write and compare-and-set small integers on
// independent keys, and the history is checked for linearizability against a
// compare-and-set register per key (P-compositionality: every op carries its key).
//   register  one key, "r": the classic Jepsen cas-register test
//   kv        `keys` keys "k0".."k<keys-1>", each op on a key drawn uniformly
// The bundled node answers null for a key never written, so each register starts as nil.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "workload.h"

namespace faultline {

// The share of each function among the ops drawn, in percent: an even mix, as in Jepsen.
inline constexpr int register_read_percent = 34;
inline constexpr int register_write_percent = 33;
static_assert(register_read_percent + register_write_percent < 100, "cas needs a share too");

// Without cas, reads and writes share the ops evenly: what quorum replication without consensus
// (ABD) can make linearizable.
inline constexpr int register_read_percent_without_cas = 50;

// With few values a cas compares with a random one, which matches often. With more than this
// many, a random one would almost never match and cas would never succeed (a test of nothing);
// so it compares with one of the last register_cas_recent_values values written to its key
// (by writes and cas this generator drew), as a client that read before its cas would.
inline constexpr int register_cas_random_from_values_max = 10;
inline constexpr std::size_t register_cas_recent_values = 3;

// `keys` names the registers; `values` > 1 (writes and cas use 0..values-1); `cas` false: reads
// and writes only; the checker gives up (unknown) after `check_time_limit` (0: never). Options
// are validated by make_workload.
std::unique_ptr<Workload> make_register_workload(std::string name, std::vector<std::string> keys, int values,
                                                 bool cas, std::chrono::milliseconds check_time_limit);

}  // namespace faultline
