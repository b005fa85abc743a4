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

// rw-register: the same questions of writes and single-value reads (initial_state: nil).
bool writes(const TransactionHistory& history, TxnId t, KeyId key, ElementId value) {
  for (const MicroOp& micro_op : history.micro_ops_of(history.txns[t]))
    if (micro_op.kind == MicroOp::Kind::write && micro_op.key == key && micro_op.element == value) return true;
  return false;
}

bool reads_value(const TransactionHistory& history, TxnId t, KeyId key, ElementId value) {
  if (history.txns[t].outcome != Outcome::ok) return false;
  for (const MicroOp& micro_op : history.micro_ops_of(history.txns[t]))
    if (micro_op.kind == MicroOp::Kind::read && !micro_op.read_unknown && micro_op.key == key && micro_op.element == value) return true;
  return false;
}

// Whether `before` < `after` in key's version order as rw-register infers it: nil precedes
// every value; and a transaction that read `before` and later wrote `after` (both of key)
// orders them.
bool version_precedes(const TransactionHistory& history, KeyId key, ElementId before, ElementId after) {
  if (before == initial_state) return after != initial_state;
  for (const Transaction& txn : history.txns) {
    if (txn.outcome != Outcome::ok) continue;
    bool read_before = false;
    for (const MicroOp& micro_op : history.micro_ops_of(txn)) {
      if (micro_op.key != key) continue;
      if (micro_op.kind == MicroOp::Kind::read && !micro_op.read_unknown && micro_op.element == before) read_before = true;
      if (micro_op.kind == MicroOp::Kind::write && micro_op.element == after && read_before) return true;
    }
  }
  return false;
}

// What is wrong with one ww, wr or rw step of an rw-register cycle, or empty.
std::string rw_register_step_problem(const TransactionHistory& history, const Edge& step) {
  switch (step.relation) {
    case Relation::ww:
      if (!writes(history, step.from, step.key, step.before) || !writes(history, step.to, step.key, step.after) ||
          !version_precedes(history, step.key, step.before, step.after))
        return "ww: the writes are not ordered by a read followed by a write";
      return "";
    case Relation::wr:
      if (!writes(history, step.from, step.key, step.after) || !reads_value(history, step.to, step.key, step.after))
        return "wr: the reader did not read the writer's value";
      return "";
    case Relation::rw:
      if (!reads_value(history, step.from, step.key, step.before) || !writes(history, step.to, step.key, step.after) ||
          !version_precedes(history, step.key, step.before, step.after))
        return "rw: the write does not follow the value read";
      return "";
    default: return "";
  }
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
    if (history.model == TransactionModel::rw_register && step.relation != Relation::process && step.relation != Relation::realtime) {
      if (const std::string what = rw_register_step_problem(history, step); !what.empty()) problem(i, what);
      continue;
    }
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
