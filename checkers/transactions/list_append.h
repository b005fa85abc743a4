// The list-append checker (Elle's elle.list-append/check): infers the dependency graph of a
// history of list-append transactions, finds the anomalies that need no cycle and the cycles
// of each forbidden shape, and says which consistency models the history rules out. The
// pipeline and the verdict are transaction_check.h's; what is list-append's own is the
// inference: version orders from the longest read of each key (append_index.h), the edges
// (dependency_graph.h) and the anomalies (list_append_anomalies.h).
#pragma once

#include "history/history.h"
#include "transactions/transaction_check.h"
#include "transactions/transactions.h"

namespace faultline::transactions {

// The names the list-append checker has always had; the types are shared with rw-register.
using ListAppendOptions = TransactionCheckOptions;
using ListAppendResult = TransactionCheckResult;

ListAppendResult check_list_append(const History& history, const ListAppendOptions& options = {});

// The anomalies and edges of a list-append history.
Inference infer_list_append(const TransactionHistory& history);

}  // namespace faultline::transactions
