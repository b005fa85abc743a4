// Synthetic histories: a seeded simulation of concurrent clients on a linearizable store of
// registers, one per key, recorded as faultline ops. It gives the checkers histories of any
// size whose verdict is known: valid, unless one anomaly was planted on purpose.
//
// Time model: each client thinks, invokes an op, and completes it after a random latency;
// the op takes effect at a point drawn uniformly inside that interval, and the store applies
// effects in that order. An op that ends `info` (a timeout) may or may not take effect,
// decided by a coin; its process is then retired and the client goes on as a fresh process,
// as in Jepsen. Everything random comes from `seed`: the same options give the same history.
//
// Errors: validate_synthetic_history_options names the first option out of range; the
// generators assume valid options (checked with assertions).
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "history/op.h"

namespace faultline {

// What the clients do: read/write registers, or also compare-and-set.
enum class SyntheticWorkload { register_read_write, cas_register };

// The one anomaly planted to make a history non-linearizable:
//   stale_read: a read returns a value that a write completed before the read began had
//     overwritten;
//   lost_write: a write is acknowledged but never applied, and a read that begins after it
//     completed returns the value from before it.
// Both use a value no other op writes, so no reordering can explain the read away.
enum class PlantedAnomaly { none, stale_read, lost_write };

struct SyntheticHistoryOptions {
  std::int64_t ops = 1000;     // operations, each an invocation and (always) a completion
  std::int64_t keys = 1;       // registers "k0".."k<keys-1>", chosen uniformly
  std::int64_t clients = 5;    // operations in flight at once
  SyntheticWorkload workload = SyntheticWorkload::cas_register;
  double indeterminate_fraction = 0;  // share of ops that end `info`
  double fail_fraction = 0;           // share of ops that fail without effect (failed cas come on top)
  std::int64_t values = 5;            // writes and cas use the values 0..values-1
  PlantedAnomaly plant = PlantedAnomaly::none;
  std::uint64_t seed = 0;
};

// Named limits. Values beyond values_max leave room for the planted value; clients_max
// bounds the simulator's memory, not the history's size.
inline constexpr std::int64_t synthetic_keys_max = 10'000'000;
inline constexpr std::int64_t synthetic_clients_max = 100'000;
inline constexpr std::int64_t synthetic_values_max = 1'000'000'000;
inline constexpr std::int64_t planted_anomaly_ops = 3;  // the old write, the newer write, the read

// Nothing, or what is wrong with the first bad option: "--keys must be at least 1, got 0".
// Option names are those of `faultline generate`.
std::expected<void, std::string> validate_synthetic_history_options(const SyntheticHistoryOptions& options);

// What was generated, and where the anomaly is, for tests and for people.
struct SyntheticHistorySummary {
  std::int64_t ops = 0;
  std::int64_t ok = 0;
  std::int64_t fail = 0;
  std::int64_t info = 0;
  std::int64_t processes = 0;  // distinct process ids used
  // The completion of the planted anomalous read, and its key.
  std::optional<std::int64_t> anomaly_index;
  std::optional<std::string> anomaly_key;
};

using SyntheticOpSink = std::function<void(const Op&)>;

// Hands each op to `emit` in history order: index from 0, time_ns strictly increasing.
// Memory is proportional to clients + keys, not to ops.
SyntheticHistorySummary generate_synthetic_history(const SyntheticHistoryOptions& options, const SyntheticOpSink& emit);

// The same history as JSON Lines. Does not flush.
SyntheticHistorySummary write_synthetic_history_jsonl(const SyntheticHistoryOptions& options, std::ostream& out);

std::optional<SyntheticWorkload> parse_synthetic_workload(std::string_view text);  // register, cas-register
std::string_view to_string(SyntheticWorkload workload);
std::optional<PlantedAnomaly> parse_planted_anomaly(std::string_view text);  // none, stale-read, lost-write
std::string_view to_string(PlantedAnomaly plant);

}  // namespace faultline
