// What list-append transactions say about each key, as Elle infers it (elle.list-append):
// the version order of a key is its longest observed read (every other read must be a prefix
// of it: else incompatible-order); who appended each element; who read each state.
//
// Observed reads are those of ok and info transactions whose lists are known (Elle's
// h/possible history). A state is named by its last element, or `initial_state` for [].
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "transactions/transactions.h"

namespace faultline::transactions {

inline std::uint64_t key_element(KeyId key, ElementId element) { return static_cast<std::uint64_t>(key) << 32 | element; }

struct IncompatibleOrder {
  KeyId key;
  TxnId reader;             // whose read is not a prefix of the longest
  std::uint32_t micro_op;   // that read
  TxnId longest_reader;     // whose read is the longest
  std::uint32_t longest_micro_op;
};

struct AppendIndex {
  std::vector<std::vector<ElementId>> order;                  // KeyId -> version order (distinct)
  std::unordered_map<std::uint64_t, std::uint32_t> position;  // (key, element) -> place in order[key]
  std::unordered_map<std::uint64_t, TxnId> writer;            // (key, element) -> its appender, any outcome
  std::unordered_map<std::uint64_t, std::vector<TxnId>> readers;  // (key, state) -> ok/info txns that read it
  std::vector<IncompatibleOrder> incompatible_orders;         // at most one per key

  std::optional<TxnId> writer_of(KeyId key, ElementId element) const {
    auto it = writer.find(key_element(key, element));
    return it == writer.end() ? std::nullopt : std::optional<TxnId>(it->second);
  }
  // The element appended just before `element` to `key` in the version order; for an element
  // no read shows, the last observed element (it came after all of them); initial_state when
  // it was, or can only be shown to come after, the first append. (Elle's
  // previously-appended-element.)
  ElementId previous_element(KeyId key, ElementId element) const;
};

AppendIndex build_append_index(const TransactionHistory& history);

// Whether `txn` took part in the observed history: ok or info (Elle's h/possible).
inline bool possible(const Transaction& txn) { return txn.outcome != Outcome::fail; }

}  // namespace faultline::transactions
