// Synthetic histories for the models with real state: a seeded simulation of concurrent
// clients on a linearizable key-value store with append (kv, Porcupine's shape: "x <client>
// <n> y" strings), on registers read and written by transactions (multi-register), or on a
// FIFO queue (fifo-queue). It gives `faultline check` histories of any size whose verdict is
// known: valid, unless one anomaly was planted on purpose.
//
// Time model (synthetic_time_model.h, as synthetic_history.h): each client thinks, invokes an
// op, and completes it after a random latency; the op takes effect at a point drawn inside
// that interval, and the store applies effects in that order. An op that ends `info` takes
// effect or not by a coin, and its client goes on as a fresh process; one that ends `fail`
// has no effect. Every written string, written value and enqueued value is unique.
//
// Planted anomalies:
//   kv, multi-register: stale-read. One client appends (writes) a fresh key twice, then reads
//     it and is told the state before its second write, which completed before the read began.
//   fifo-queue: duplicate-dequeue. A dequeue returns a value that a dequeue completed before
//     it began had already taken (values are unique, so it was delivered twice).
//
// Errors: validate_synthetic_model_options names the first option out of range; the
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

enum class SyntheticModel { kv, multi_register, fifo_queue };
enum class PlantedModelAnomaly { none, stale_read, duplicate_dequeue };

struct SyntheticModelOptions {
  SyntheticModel model = SyntheticModel::kv;
  std::int64_t ops = 1000;    // operations, each an invocation and (always) a completion
  std::int64_t keys = 10;     // kv keys "0".."keys-1", multi-register registers 0..keys-1; queue: unused
  std::int64_t clients = 5;   // operations in flight at once
  double indeterminate_fraction = 0;
  double fail_fraction = 0;
  PlantedModelAnomaly plant = PlantedModelAnomaly::none;
  std::uint64_t seed = 0;
};

inline constexpr std::int64_t synthetic_model_keys_max = 1'000'000;
inline constexpr std::int64_t synthetic_model_clients_max = 100'000;
inline constexpr std::int64_t synthetic_txn_micro_ops_max = 3;   // multi-register: per transaction
inline constexpr std::int64_t planted_model_anomaly_ops_max = 3;  // ops the planted anomaly takes

// Nothing, or what is wrong with the first bad option, named as `faultline generate` names it.
std::expected<void, std::string> validate_synthetic_model_options(const SyntheticModelOptions& options);

struct SyntheticModelSummary {
  std::int64_t ops = 0;
  std::int64_t ok = 0;
  std::int64_t fail = 0;
  std::int64_t info = 0;
  std::int64_t processes = 0;                 // distinct process ids used
  std::optional<std::int64_t> anomaly_index;  // the completion of the planted op
};

// Hands each op to `emit` in history order: index from 0, time_ns strictly increasing.
SyntheticModelSummary generate_synthetic_model_history(const SyntheticModelOptions& options,
                                                       const std::function<void(const Op&)>& emit);

// The same history as JSON Lines. Does not flush.
SyntheticModelSummary write_synthetic_model_history_jsonl(const SyntheticModelOptions& options, std::ostream& out);

std::optional<SyntheticModel> parse_synthetic_model(std::string_view text);  // kv, multi-register, fifo-queue
std::string_view to_string(SyntheticModel model);
// none, stale-read (kv, multi-register), duplicate-dequeue (fifo-queue); nullopt when it does not fit `model`.
std::optional<PlantedModelAnomaly> parse_planted_model_anomaly(std::string_view text, SyntheticModel model);
std::string_view to_string(PlantedModelAnomaly plant);

}  // namespace faultline
