#include "transactions/list_append.h"

#include "transactions/append_index.h"
#include "transactions/dependency_graph.h"
#include "transactions/list_append_anomalies.h"

namespace faultline::transactions {

Inference infer_list_append(const TransactionHistory& history) {
  const AppendIndex index = build_append_index(history);
  return {list_append_anomalies(history, index), list_append_edges(history, index)};
}

ListAppendResult check_list_append(const History& history, const ListAppendOptions& options) {
  return check_transactions(history, TransactionModel::list_append, options);
}

}  // namespace faultline::transactions
