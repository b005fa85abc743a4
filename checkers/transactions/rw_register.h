// The rw-register checker (Elle's elle.rw-register/check): transactions of writes and reads
// of registers, every write of a key a unique value. The pipeline and the verdict are
// transaction_check.h's; this is what rw-register infers (register_index.h says what it does
// and does not use for the version order):
//   wr  a transaction that externally read v of a key depends on v's writer (ok or info).
//   ww  an ok transaction T that read u and then wrote v: u's writer precedes T.
//   rw  a transaction that externally read u precedes T as above (it did not see T's write);
//       and nil precedes every version: a reader of nil precedes the writer of every version
//       whose place after nil is known no better (a version some T wrote after reading
//       another's write is reached from nil through that writer, by rw and then ww edges,
//       so the direct edge is left out: Elle adds it, and with it readers x writers edges).
// Anomalies that need no cycle, in ok transactions (each case names the ops by index):
//   G1a           a read of a value a failed transaction wrote (aborted read)
//   G1b           a read of a value its writer overwrote in the same transaction (intermediate)
//   internal      a read of a key that disagrees with the transaction's own last write of it,
//                 or with its own earlier read with no write between (Elle takes a read of nil
//                 as no expectation; here nil is a state like any other)
//   future-read   a read of the value the transaction itself writes only later
//   lost-update   two transactions read one version of a key and both wrote the key
//   garbage-read  a read of a value no transaction wrote (not in Elle)
// Not detected: cyclic-versions (a cycle of version steps is a G0 cycle of their writers).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/history.h"
#include "transactions/dependency_graph.h"
#include "transactions/register_index.h"
#include "transactions/transaction_check.h"
#include "transactions/transactions.h"

namespace faultline::transactions {

TransactionCheckResult check_rw_register(const History& history, const TransactionCheckOptions& options = {});

// The anomalies and edges of an rw-register history.
Inference infer_rw_register(const TransactionHistory& history);

std::vector<Edge> rw_register_edges(const TransactionHistory& history, const RegisterIndex& index);
std::map<std::string, std::vector<nlohmann::json>> rw_register_anomalies(const TransactionHistory& history,
                                                                         const RegisterIndex& index);

// A micro-op as Elle prints it: ["r", "x", 1], ["r", "x", null] or ["w", "x", 2].
nlohmann::json register_micro_op_json(const TransactionHistory& history, const MicroOp& micro_op);

}  // namespace faultline::transactions
