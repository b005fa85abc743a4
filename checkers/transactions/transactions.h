// Transactions read from a history, in a compact form the list-append checker works on.
//
// An op with f "txn" carries a transaction: a JSON array of micro-ops, ["append", k, v] or
// ["r", k, list-or-null] (Elle's list-append; EDN keywords arrive as these strings). Keys and
// elements are interned into dense ids (integers and strings alike; the original JSON is kept
// for explanations). A transaction is one invocation with its completion: ok (it happened),
// fail (it did not) or info (it may have; an invocation that never completed is info too).
// Its micro-ops come from the completion when that carries them, else from the invocation.
// A read whose list is unknown (null in an invocation, or in an info completion) is marked
// unknown; a null read in an ok completion is the empty list, as Elle reads it.
//
// Errors (TransactionInputError, which make a check `unknown`, as Elle's :valid? :unknown):
// a micro-op that is not an append or a read ("unexpected-txn-micro-op-types"), a malformed
// micro-op, or one value appended to one key by two transactions ("duplicate-appends").
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

struct MicroOp {
  enum class Kind : std::uint8_t { append, read } kind = Kind::read;
  bool read_unknown = false;    // a read whose list is not known (see above)
  KeyId key = 0;
  ElementId element = 0;        // append: the element appended
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
};

struct TransactionInputError {
  std::string type;     // Elle's name: unexpected-txn-micro-op-types, duplicate-appends, ...
  std::string message;  // for people, naming the op
};

// Reads every client op with f "txn" (other client ops are errors; nemesis ops are skipped).
std::expected<TransactionHistory, TransactionInputError> read_transactions(const History& history);

std::string_view to_string(Outcome outcome);

}  // namespace faultline::transactions
