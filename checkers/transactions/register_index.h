// What rw-register transactions say about each key, as Elle infers it (elle.rw-register):
// who wrote each value, which values their writers overwrote within the same transaction
// (intermediate), each transaction's external reads (its first read of a key, before it
// writes that key) and external writes (its last write of a key), and the version order
// steps that "writes follow reads" gives: a transaction that read version u of a key and
// then wrote v shows u < v.
//
// Not inferred (Elle infers these only on request, :linearizable-keys? and
// :sequential-keys?, or not at all): version order from real time or process order, from
// transaction-graph paths (Elle's unimplemented fixed point), or from a transaction that
// wrote two values of a key (that only marks the first intermediate). A read of two values
// of a key in one transaction is an `internal` anomaly, not an order.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "transactions/transactions.h"

namespace faultline::transactions {

inline std::uint64_t key_value(KeyId key, ElementId value) { return static_cast<std::uint64_t>(key) << 32 | value; }

struct ExternalRead {
  KeyId key;
  ElementId value;  // initial_state: read nil
  TxnId txn;
  std::uint32_t micro_op;
};

struct ExternalWrite {
  KeyId key;
  ElementId value;
  TxnId txn;
  std::uint32_t micro_op;
};

// An ok transaction read `before` of `key` (initial_state: nil) and then wrote `after`.
struct VersionStep {
  KeyId key;
  ElementId before;
  ElementId after;
  TxnId txn;
  std::uint32_t read_micro_op;
  std::uint32_t write_micro_op;
};

struct RegisterIndex {
  std::unordered_map<std::uint64_t, TxnId> writer;          // (key, value) -> its writer, any outcome
  std::unordered_set<std::uint64_t> intermediate;           // (key, value) its writer wrote over itself
  std::vector<ExternalRead> external_reads;                 // of ok transactions, in transaction order
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> readers;  // (key, value) -> places in external_reads
  std::vector<ExternalWrite> external_writes;               // of ok and info transactions: the versions
  std::vector<VersionStep> steps;                           // writes follow reads, of ok transactions

  std::optional<TxnId> writer_of(KeyId key, ElementId value) const {
    auto it = writer.find(key_value(key, value));
    return it == writer.end() ? std::nullopt : std::optional<TxnId>(it->second);
  }
};

RegisterIndex build_register_index(const TransactionHistory& history);

}  // namespace faultline::transactions
