// Synthetic transactional histories: a seeded simulation of concurrent clients running
// transactions on a strictly serializable store, recorded as faultline ops (f "txn"), in
// Elle's list-append or rw-register form. It gives the transactional checkers histories of
// any size whose verdict is known: valid, unless one anomaly was planted on purpose.
//
// Time model (as synthetic_history.h): each client thinks, invokes a transaction, and
// completes it after a random latency; the whole transaction takes effect at one point drawn
// inside that interval, and the store applies transactions in that order (so the execution is
// strictly serializable). A transaction that ends `info` takes effect or not by a coin, and
// its client goes on as a fresh process; one that ends `fail` has no effect.
//
// Transactions: 1..synthetic_txn_length_max micro-ops on a few active keys, as Jepsen's
// workloads make them. Each key takes at most synthetic_writes_per_key_max appends or writes,
// then is retired for a fresh one. list-append: reads and appends of unique elements.
// rw-register: reads and writes of unique values; most writes read their key first (a
// read-modify-write, which is what lets rw-register infer a version order).
//
// Planted stale-read: one client writes a fresh key (1), then writes it again (2; in
// rw-register after reading 1), then reads it and is told the state before its second write.
// Nothing else touches that key, and the read begins after the second write completed: no
// strictly serializable order explains it (a G-single-item-realtime, also -process).
//
// Errors: validate_synthetic_transaction_options names the first option out of range; the
// generator assumes valid options (checked with assertions).
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

enum class TransactionWorkload { list_append, rw_register };
enum class PlantedTransactionAnomaly { none, stale_read };

struct SyntheticTransactionOptions {
  std::int64_t transactions = 1000;  // each an invocation and (always) a completion
  std::int64_t processes = 5;        // transactions in flight at once
  TransactionWorkload workload = TransactionWorkload::list_append;
  double indeterminate_fraction = 0;  // share of transactions that end `info`
  double fail_fraction = 0;           // share that fail without effect
  PlantedTransactionAnomaly plant = PlantedTransactionAnomaly::none;
  std::uint64_t seed = 0;
};

inline constexpr std::int64_t synthetic_txn_length_max = 4;        // micro-ops per transaction
inline constexpr std::int64_t synthetic_active_keys = 8;           // keys in use at once
inline constexpr std::int64_t synthetic_writes_per_key_max = 16;   // then the key is retired
inline constexpr std::int64_t synthetic_processes_max = 100'000;   // bounds the simulator's memory
inline constexpr std::int64_t planted_transaction_anomaly_txns = 3;  // two writes, the stale read
static_assert(synthetic_txn_length_max >= 1 && synthetic_active_keys >= 1 && synthetic_writes_per_key_max >= 1);

// Nothing, or what is wrong with the first bad option, named as `faultline generate` names it.
std::expected<void, std::string> validate_synthetic_transaction_options(const SyntheticTransactionOptions& options);

struct SyntheticTransactionSummary {
  std::int64_t transactions = 0;
  std::int64_t ok = 0;
  std::int64_t fail = 0;
  std::int64_t info = 0;
  std::int64_t processes = 0;  // distinct process ids used
  std::optional<std::int64_t> anomaly_index;  // the completion of the planted stale read
  std::optional<std::string> anomaly_key;
};

using SyntheticTransactionSink = std::function<void(const Op&)>;

// Hands each op to `emit` in history order: index from 0, time_ns strictly increasing.
// Memory grows with the keys used (about transactions / synthetic_writes_per_key_max), not
// with the ops.
SyntheticTransactionSummary generate_synthetic_transactions(const SyntheticTransactionOptions& options,
                                                            const SyntheticTransactionSink& emit);

// The same history as JSON Lines. Does not flush.
SyntheticTransactionSummary write_synthetic_transactions_jsonl(const SyntheticTransactionOptions& options, std::ostream& out);

std::optional<TransactionWorkload> parse_transaction_workload(std::string_view text);  // list-append, rw-register
std::string_view to_string(TransactionWorkload workload);
std::optional<PlantedTransactionAnomaly> parse_planted_transaction_anomaly(std::string_view text);  // none, stale-read
std::string_view to_string(PlantedTransactionAnomaly plant);

}  // namespace faultline
