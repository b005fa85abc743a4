#include "transactions/verify_cycle.h"

#include <algorithm>
#include <set>

#include "transactions/append_index.h"

namespace faultline::transactions {
namespace {

bool appends(const TransactionHistory& history, TxnId t, KeyId key, ElementId element) {
  for (const MicroOp& micro_op : history.micro_ops_of(history.txns[t]))
    if (micro_op.kind == MicroOp::Kind::append && micro_op.key == key && micro_op.element == element) return true;
  return false;
}

// Whether txn t read `key` as a list ending in `last` (initial_state: the empty list).
bool reads_state(const TransactionHistory& history, TxnId t, KeyId key, ElementId last) {
  for (const MicroOp& micro_op : history.micro_ops_of(history.txns[t])) {
    if (micro_op.kind != MicroOp::Kind::read || micro_op.read_unknown || micro_op.key != key) continue;
    auto list = history.read_list(micro_op);
    if (last == initial_state ? list.empty() : !list.empty() && list.back() == last) return true;
  }
  return false;
}

// The longest known read of `key` by an ok or info txn: the version order.
std::vector<ElementId> longest_read(const TransactionHistory& history, KeyId key) {
  std::span<const ElementId> best;
  for (const Transaction& txn : history.txns) {
    if (txn.outcome == Outcome::fail) continue;
    for (const MicroOp& micro_op : history.micro_ops_of(txn))
      if (micro_op.kind == MicroOp::Kind::read && !micro_op.read_unknown && micro_op.key == key &&
          micro_op.read_size > best.size())
        best = history.read_list(micro_op);
  }
  return {best.begin(), best.end()};
}

// Whether `after` was appended right after `before` (initial_state: first) in the version
// order; an element no read shows came after the last one shown.
bool follows(const std::vector<ElementId>& order, ElementId before, ElementId after) {
  auto at = std::find(order.begin(), order.end(), after);
  if (at == order.end()) return before == (order.empty() ? initial_state : order.back());
  return before == (at == order.begin() ? initial_state : *(at - 1));
}

}  // namespace

std::vector<std::string> verify_cycle(const TransactionHistory& history, const Cycle& cycle) {
  std::vector<std::string> problems;
  auto problem = [&](std::size_t i, const std::string& what) { problems.push_back("step " + std::to_string(i + 1) + ": " + what); };
  std::set<TxnId> seen;
  for (std::size_t i = 0; i < cycle.steps.size(); ++i) {
    const Edge& step = cycle.steps[i];
    const Edge& next = cycle.steps[(i + 1) % cycle.steps.size()];
    if (step.to != next.from) problem(i, "does not lead to the next step's transaction");
    if (!seen.insert(step.from).second) problem(i, "visits a transaction twice");
    if (step.from == step.to) problem(i, "joins a transaction to itself");
    const Transaction& from = history.txns[step.from];
    const Transaction& to = history.txns[step.to];
    if (from.outcome == Outcome::fail || to.outcome == Outcome::fail) problem(i, "involves a failed transaction");
    switch (step.relation) {
      case Relation::ww:
        if (!appends(history, step.from, step.key, step.before) || !appends(history, step.to, step.key, step.after) ||
            !follows(longest_read(history, step.key), step.before, step.after))
          problem(i, "ww: the appends are not consecutive in the key's version order");
        break;
      case Relation::wr:
        if (!appends(history, step.from, step.key, step.after) || !reads_state(history, step.to, step.key, step.after))
          problem(i, "wr: the reader did not read a state ending in the writer's append");
        break;
      case Relation::rw:
        if (!reads_state(history, step.from, step.key, step.before) || !appends(history, step.to, step.key, step.after) ||
            !follows(longest_read(history, step.key), step.before, step.after))
          problem(i, "rw: the append does not directly follow the state read");
        break;
      case Relation::process:
        if (from.outcome != Outcome::ok || to.outcome != Outcome::ok || from.process != to.process ||
            from.complete_position < 0 || static_cast<std::size_t>(from.complete_position) >= to.invoke_position)
          problem(i, "process: not two ok transactions of one process, the first before the second");
        break;
      case Relation::realtime:
        if (from.outcome != Outcome::ok || from.complete_position < 0 ||
            static_cast<std::size_t>(from.complete_position) >= to.invoke_position)
          problem(i, "realtime: the first did not complete before the second began");
        break;
    }
  }
  if (classify_cycle(cycle.steps) != cycle.type) problems.push_back("its edges make a " + classify_cycle(cycle.steps) + ", not a " + cycle.type);
  if (cycle.steps.size() < 2) problems.push_back("a cycle needs two transactions");
  return problems;
}

}  // namespace faultline::transactions
