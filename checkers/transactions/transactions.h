// Transactions read from a history, in a compact form the transactional checkers work on.
//
// An op with f "txn" carries a transaction: a JSON array of micro-ops (micro_op.h). For
// list-append (Elle's elle.list-append) they are ["append", k, v] or ["r", k, list-or-null];
// for rw-register (elle.rw-register) ["w", k, v] or ["r", k, value-or-null]; Knossos' names
// "write" and "read" are accepted for "w" and "r". EDN keywords arrive as these strings. Keys and elements (appended
// elements, written values) are interned into dense ids (integers and strings alike; the
// original JSON is kept for explanations). A transaction is one invocation with its completion: ok (it happened),
// fail (it did not) or info (it may have; an invocation that never completed is info too).
// Its micro-ops come from the completion when that carries them, else from the invocation.
// A read whose list is unknown (null in an invocation, or in an info completion) is marked
// unknown; a null read in an ok completion is the empty list, as Elle reads it. In rw-register
// a read is known only in an ok completion, where null is the initial (nil) state.
//
// Errors (TransactionInputError, which make a check `unknown`, as Elle's :valid? :unknown):
// a micro-op that is not an append or a read ("unexpected-txn-micro-op-types"), a malformed
// micro-op, one value appended to one key twice ("duplicate-appends"), or one value written
// to one key twice ("duplicate-writes": rw-register assumes unique writes, as Elle does).
#pragma once

#include <cstdint>
#include <expected>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/history.h"

namespace faultline::transactions {

using KeyId = std::uint32_t;
using ElementId = std::uint32_t;
using TxnId = std::uint32_t;  // position in TransactionHistory::txns

enum class Outcome : std::uint8_t { ok, info, fail };

// Which of Elle's transactional workloads a history holds.
enum class TransactionModel : std::uint8_t { list_append, rw_register };
inline constexpr TransactionModel transaction_models[] = {TransactionModel::list_append, TransactionModel::rw_register};

// The state before any append or write: the empty list, or the nil register.
inline constexpr ElementId initial_state = 0xFFFFFFFFu;

struct MicroOp {
  enum class Kind : std::uint8_t { append, read, write } kind = Kind::read;
  bool read_unknown = false;    // a read whose list (or value) is not known (see above)
  KeyId key = 0;
  ElementId element = 0;        // append: the element appended; write: the value written;
                                // rw-register read: the value read, initial_state for nil
  std::uint32_t read_begin = 0; // read: its list is read_elements[read_begin, read_begin + read_size)
  std::uint32_t read_size = 0;
};

struct Transaction {
  std::int64_t index = -1;         // the op index Elle names a transaction by: its completion's
                                   // (its invocation's when it never completed)
  std::int64_t invoke_index = -1;
  std::size_t invoke_position = 0;  // positions in the History
  std::int64_t complete_position = -1;  // -1: never completed
  std::int64_t process = 0;
  Outcome outcome = Outcome::ok;
  std::uint32_t micro_op_begin = 0;
  std::uint32_t micro_op_count = 0;
};

struct TransactionHistory {
  TransactionModel model = TransactionModel::list_append;
  std::vector<Transaction> txns;  // in the order of their invocations
  std::vector<MicroOp> micro_ops;
  std::vector<ElementId> read_elements;
  std::vector<nlohmann::json> key_names;      // KeyId -> the key as written
  std::vector<nlohmann::json> element_names;  // ElementId -> the element as written

  std::span<const MicroOp> micro_ops_of(const Transaction& txn) const {
    return {micro_ops.data() + txn.micro_op_begin, txn.micro_op_count};
  }
  std::span<const ElementId> read_list(const MicroOp& micro_op) const {
    return {read_elements.data() + micro_op.read_begin, micro_op.read_size};
  }
  // "[1 2 3]", as Elle prints a list.
  std::string list_text(std::span<const ElementId> list) const;
  std::string key_text(KeyId key) const { return key_names[key].dump(); }
  std::string element_text(ElementId element) const { return element_names[element].dump(); }
  // A register's value: the element, or "nil" for initial_state.
  std::string value_text(ElementId value) const { return value == initial_state ? "nil" : element_text(value); }
};

struct TransactionInputError {
  std::string type;     // Elle's name: unexpected-txn-micro-op-types, duplicate-appends, ...
  std::string message;  // for people, naming the op
};

// Reads every client op with f "txn" (other client ops are errors; nemesis ops are skipped).
std::expected<TransactionHistory, TransactionInputError> read_transactions(
    const History& history, TransactionModel model = TransactionModel::list_append);

std::string_view to_string(Outcome outcome);
std::string_view to_string(TransactionModel model);  // list-append, rw-register

}  // namespace faultline::transactions
