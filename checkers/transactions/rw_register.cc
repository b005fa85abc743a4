#include "transactions/rw_register.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace faultline::transactions {

TransactionCheckResult check_rw_register(const History& history, const TransactionCheckOptions& options) {
  return check_transactions(history, TransactionModel::rw_register, options);
}

Inference infer_rw_register(const TransactionHistory& history) {
  const RegisterIndex index = build_register_index(history);
  return {rw_register_anomalies(history, index), rw_register_edges(history, index)};
}

nlohmann::json register_micro_op_json(const TransactionHistory& history, const MicroOp& micro_op) {
  const nlohmann::json key = history.key_names[micro_op.key];
  if (micro_op.kind == MicroOp::Kind::write) return nlohmann::json::array({"w", key, history.element_names[micro_op.element]});
  const nlohmann::json value =
      micro_op.read_unknown || micro_op.element == initial_state ? nlohmann::json(nullptr) : history.element_names[micro_op.element];
  return nlohmann::json::array({"r", key, value});
}

std::vector<Edge> rw_register_edges(const TransactionHistory& history, const RegisterIndex& index) {
  std::vector<Edge> edges;
  auto possible_writer = [&](KeyId key, ElementId value) -> std::optional<TxnId> {
    auto writer = index.writer_of(key, value);
    if (!writer || history.txns[*writer].outcome == Outcome::fail) return std::nullopt;
    return writer;
  };
  // wr: whoever wrote what a transaction read externally. A failed or unknown writer makes no
  // edge: G1a and garbage reads report those.
  for (const ExternalRead& read : index.external_reads) {
    if (read.value == initial_state) continue;
    if (auto writer = possible_writer(read.key, read.value); writer && *writer != read.txn)
      edges.push_back({*writer, read.txn, Relation::wr, read.key, initial_state, read.value, read.micro_op});
  }
  auto readers_of = [&](KeyId key, ElementId value) -> const std::vector<std::uint32_t>* {
    auto it = index.readers.find(key_value(key, value));
    return it == index.readers.end() ? nullptr : &it->second;
  };
  // ww and rw from each step u < v that T's read-then-write shows.
  std::unordered_set<std::uint64_t> after_a_write;  // versions reached from nil through another writer
  for (const VersionStep& step : index.steps) {
    if (step.before == initial_state) continue;  // nil < v: below, for every version
    auto writer = possible_writer(step.key, step.before);
    if (writer && *writer != step.txn) {
      edges.push_back({*writer, step.txn, Relation::ww, step.key, step.before, step.after, step.write_micro_op});
      after_a_write.insert(key_value(step.key, step.after));
    }
    if (const auto* readers = readers_of(step.key, step.before))
      for (std::uint32_t r : *readers) {
        const ExternalRead& read = index.external_reads[r];
        if (read.txn != step.txn) edges.push_back({read.txn, step.txn, Relation::rw, step.key, step.before, step.after, read.micro_op});
      }
  }
  // rw from nil: a reader of nil precedes every version's writer.
  for (const ExternalWrite& write : index.external_writes) {
    if (after_a_write.contains(key_value(write.key, write.value))) continue;
    if (const auto* readers = readers_of(write.key, initial_state))
      for (std::uint32_t r : *readers) {
        const ExternalRead& read = index.external_reads[r];
        if (read.txn != write.txn) edges.push_back({read.txn, write.txn, Relation::rw, write.key, initial_state, write.value, read.micro_op});
      }
  }
  return edges;
}

namespace {

using Cases = std::map<std::string, std::vector<nlohmann::json>>;

struct Finder {
  const TransactionHistory& history;
  const RegisterIndex& index;
  Cases cases;

  std::int64_t op_index(TxnId t) const { return history.txns[t].index; }
  nlohmann::json mop(std::uint32_t m) const { return register_micro_op_json(history, history.micro_ops[m]); }
  nlohmann::json value_json(ElementId value) const {
    return value == initial_state ? nlohmann::json(nullptr) : history.element_names[value];
  }

  // G1a, G1b, garbage and future reads: each read of an ok txn against who wrote its value.
  void reads() {
    for (TxnId t = 0; t < history.txns.size(); ++t) {
      const Transaction& txn = history.txns[t];
      if (txn.outcome != Outcome::ok) continue;
      for (std::uint32_t m = txn.micro_op_begin; m < txn.micro_op_begin + txn.micro_op_count; ++m) {
        const MicroOp& read = history.micro_ops[m];
        if (read.kind != MicroOp::Kind::read || read.read_unknown || read.element == initial_state) continue;
        auto writer = index.writer_of(read.key, read.element);
        if (!writer) {
          cases["garbage-read"].push_back({{"op", op_index(t)}, {"mop", mop(m)}});
          continue;
        }
        if (history.txns[*writer].outcome == Outcome::fail)
          cases["G1a"].push_back({{"op", op_index(t)}, {"mop", mop(m)}, {"writer", op_index(*writer)}});
        if (*writer != t) {
          if (index.intermediate.contains(key_value(read.key, read.element)))
            cases["G1b"].push_back({{"op", op_index(t)}, {"mop", mop(m)}, {"writer", op_index(*writer)}});
          continue;
        }
        // Its own value: is the write later in the transaction?
        for (std::uint32_t w = m + 1; w < txn.micro_op_begin + txn.micro_op_count; ++w) {
          const MicroOp& write = history.micro_ops[w];
          if (write.kind == MicroOp::Kind::write && write.key == read.key && write.element == read.element) {
            cases["future-read"].push_back({{"op", op_index(t)}, {"mop", mop(m)}});
            break;
          }
        }
      }
    }
  }

  // internal: within each ok txn, each read of a key must show its last write or read of it.
  void internal() {
    std::vector<std::pair<KeyId, ElementId>> expected;  // key -> the value a read must show
    for (TxnId t = 0; t < history.txns.size(); ++t) {
      const Transaction& txn = history.txns[t];
      if (txn.outcome != Outcome::ok) continue;
      expected.clear();
      for (std::uint32_t m = txn.micro_op_begin; m < txn.micro_op_begin + txn.micro_op_count; ++m) {
        const MicroOp& micro_op = history.micro_ops[m];
        if (micro_op.kind == MicroOp::Kind::read && micro_op.read_unknown) continue;
        auto it = std::find_if(expected.begin(), expected.end(), [&](const auto& e) { return e.first == micro_op.key; });
        if (micro_op.kind == MicroOp::Kind::read && it != expected.end() && it->second != micro_op.element) {
          cases["internal"].push_back({{"op", op_index(t)}, {"mop", mop(m)}, {"expected", value_json(it->second)}});
          break;  // one case per transaction, as Elle reports
        }
        if (it == expected.end()) expected.emplace_back(micro_op.key, micro_op.element);
        else it->second = micro_op.element;
      }
    }
  }

  // lost-update: ok txns that read one version of a key (externally) and then wrote the key.
  void lost_updates() {
    std::map<std::pair<KeyId, ElementId>, std::vector<TxnId>> by_version;
    for (const VersionStep& step : index.steps) by_version[{step.key, step.before}].push_back(step.txn);
    for (const auto& [version, txns] : by_version) {
      if (txns.size() < 2) continue;
      nlohmann::json ops = nlohmann::json::array();
      for (TxnId t : txns) ops.push_back(op_index(t));
      cases["lost-update"].push_back({{"key", history.key_names[version.first]}, {"value", value_json(version.second)}, {"txns", ops}});
    }
  }
};

}  // namespace

std::map<std::string, std::vector<nlohmann::json>> rw_register_anomalies(const TransactionHistory& history,
                                                                         const RegisterIndex& index) {
  Finder finder{history, index, {}};
  finder.reads();
  finder.internal();
  finder.lost_updates();
  return std::move(finder.cases);
}

}  // namespace faultline::transactions
