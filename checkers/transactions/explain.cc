#include "transactions/explain.h"

#include <unordered_map>

#include "transactions/append_index.h"

namespace faultline::transactions {
namespace {

// A ww, wr or rw step between rw-register transactions.
std::string explain_register_step(const TransactionHistory& history, const Edge& step, const std::string& from,
                                  const std::string& to, const std::string& key) {
  const std::string before = history.value_text(step.before), after = history.value_text(step.after);
  switch (step.relation) {
    case Relation::ww:
      return to + " read key " + key + " as " + before + " and then wrote " + after + ", so its write came after " + from +
             "'s write of " + before;
    case Relation::wr: return to + " read key " + key + " as " + after + ", so it saw " + from + "'s write of " + after;
    case Relation::rw:
      if (step.before == initial_state)
        return from + " read key " + key + " as nil, so it did not see " + to + "'s write of " + after;
      return from + " read key " + key + " as " + before + ", so it did not see " + to + "'s write of " + after + ", which " +
             to + " made after reading " + before;
    default: return "";
  }
}

}  // namespace

std::vector<std::string> explain_cycle(const TransactionHistory& history, const Cycle& cycle) {
  std::unordered_map<TxnId, std::string> names;
  for (const Edge& step : cycle.steps) names.try_emplace(step.from, "T" + std::to_string(names.size() + 1));
  std::vector<std::string> sentences;
  for (const Edge& step : cycle.steps) {
    const std::string& from = names[step.from];
    const std::string& to = names[step.to];
    const std::string key = history.key_text(step.key);
    if (history.model == TransactionModel::rw_register && step.relation != Relation::process && step.relation != Relation::realtime) {
      sentences.push_back(explain_register_step(history, step, from, to, key));
      continue;
    }
    switch (step.relation) {
      case Relation::ww:
        sentences.push_back(to + " appended " + history.element_text(step.after) + " to key " + key + " after " + from +
                            " appended " + history.element_text(step.before));
        break;
      case Relation::wr: {
        const MicroOp& read = history.micro_ops[step.micro_op];
        sentences.push_back(to + " read key " + key + " as " + history.list_text(history.read_list(read)) + ", so it saw " +
                            from + "'s append of " + history.element_text(step.after));
        break;
      }
      case Relation::rw: {
        const MicroOp& read = history.micro_ops[step.micro_op];
        sentences.push_back(from + " did not see " + to + "'s append of " + history.element_text(step.after) + " to key " +
                            key + " (it read " + history.list_text(history.read_list(read)) + ")");
        break;
      }
      case Relation::process:
        sentences.push_back(from + " completed before " + to + " began, on the same process (" +
                            std::to_string(history.txns[step.from].process) + ")");
        break;
      case Relation::realtime:
        sentences.push_back(from + " completed before " + to + " began (op " + std::to_string(history.txns[step.from].index) +
                            " before op " + std::to_string(history.txns[step.to].invoke_index) + ")");
        break;
    }
  }
  return sentences;
}

}  // namespace faultline::transactions
