// The anomalies of a list-append history that need no cycle (elle.list-append):
//   G1a                 an ok txn read an element that a failed txn appended (aborted read)
//   G1b                 an ok txn read a state ending in an element that another txn appended
//                       but then followed with another append to that key (intermediate read)
//   internal            an ok txn read a key inconsistently with its own earlier reads and
//                       appends of it
//   future-read         an ok txn read an element it appends only later
//   dirty-update        in a key's version order, a failed txn's element is followed by an ok
//                       txn's (the ok txn built on aborted state)
//   duplicate-elements  a read (ok or info) shows one element more than once
//   incompatible-order  two reads of a key that are not prefixes of one order
//   lost-update         two ok txns read the same state of a key and both appended to it
//   garbage-read        a read shows an element no txn appended (not in Elle, whose
//                       list-append stops with an assertion on such histories)
// Each case is a JSON object naming the ops by index, as Elle's maps do.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "transactions/append_index.h"
#include "transactions/transactions.h"

namespace faultline::transactions {

// Anomaly type -> its cases; types without cases are absent.
std::map<std::string, std::vector<nlohmann::json>> list_append_anomalies(const TransactionHistory& history,
                                                                         const AppendIndex& index);

// A micro-op as Elle prints it: ["r", 5, [1, 2]] or ["append", 5, 3].
nlohmann::json micro_op_json(const TransactionHistory& history, const MicroOp& micro_op);

}  // namespace faultline::transactions
