#include "transactions/append_index.h"

#include <algorithm>

namespace faultline::transactions {

ElementId AppendIndex::previous_element(KeyId key, ElementId element) const {
  auto it = position.find(key_element(key, element));
  if (it != position.end()) return it->second == 0 ? initial_state : order[key][it->second - 1];
  return order[key].empty() ? initial_state : order[key].back();
}

AppendIndex build_append_index(const TransactionHistory& history) {
  AppendIndex index;
  const std::size_t keys = history.key_names.size();
  index.order.resize(keys);
  struct Longest {
    TxnId txn = 0;
    std::uint32_t micro_op = 0;
    std::uint32_t size = 0;
    bool any = false;
  };
  std::vector<Longest> longest(keys);
  for (TxnId t = 0; t < history.txns.size(); ++t) {
    const Transaction& txn = history.txns[t];
    for (std::uint32_t m = txn.micro_op_begin; m < txn.micro_op_begin + txn.micro_op_count; ++m) {
      const MicroOp& micro_op = history.micro_ops[m];
      if (micro_op.kind == MicroOp::Kind::append) {
        index.writer.emplace(key_element(micro_op.key, micro_op.element), t);
        continue;
      }
      if (!possible(txn) || micro_op.read_unknown) continue;
      Longest& best = longest[micro_op.key];
      if (!best.any || micro_op.read_size > best.size) best = {t, m, micro_op.read_size, true};
      const ElementId state = micro_op.read_size == 0 ? initial_state : history.read_list(micro_op).back();
      index.readers[key_element(micro_op.key, state)].push_back(t);
    }
  }
  // Every read must be a prefix of its key's longest; the first that is not is reported.
  for (TxnId t = 0; t < history.txns.size(); ++t) {
    const Transaction& txn = history.txns[t];
    if (!possible(txn)) continue;
    for (std::uint32_t m = txn.micro_op_begin; m < txn.micro_op_begin + txn.micro_op_count; ++m) {
      const MicroOp& micro_op = history.micro_ops[m];
      if (micro_op.kind != MicroOp::Kind::read || micro_op.read_unknown) continue;
      const Longest& best = longest[micro_op.key];
      auto read = history.read_list(micro_op);
      auto full = history.read_list(history.micro_ops[best.micro_op]);
      if (std::equal(read.begin(), read.end(), full.begin())) continue;
      const bool reported = std::any_of(index.incompatible_orders.begin(), index.incompatible_orders.end(),
                                        [&](const IncompatibleOrder& seen) { return seen.key == micro_op.key; });
      if (!reported) index.incompatible_orders.push_back({micro_op.key, t, m, best.txn, best.micro_op});
    }
  }
  for (KeyId key = 0; key < keys; ++key) {
    if (!longest[key].any) continue;
    for (ElementId element : history.read_list(history.micro_ops[longest[key].micro_op])) {
      // A duplicated element keeps its first place (Elle: distinct); duplicate-elements reports it.
      if (index.position.emplace(key_element(key, element), static_cast<std::uint32_t>(index.order[key].size())).second)
        index.order[key].push_back(element);
    }
  }
  return index;
}

}  // namespace faultline::transactions
