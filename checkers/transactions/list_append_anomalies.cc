#include "transactions/list_append_anomalies.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace faultline::transactions {

nlohmann::json micro_op_json(const TransactionHistory& history, const MicroOp& micro_op) {
  if (micro_op.kind == MicroOp::Kind::append)
    return nlohmann::json::array({"append", history.key_names[micro_op.key], history.element_names[micro_op.element]});
  nlohmann::json list = nullptr;
  if (!micro_op.read_unknown) {
    list = nlohmann::json::array();
    for (ElementId element : history.read_list(micro_op)) list.push_back(history.element_names[element]);
  }
  return nlohmann::json::array({"r", history.key_names[micro_op.key], std::move(list)});
}

namespace {

using Cases = std::map<std::string, std::vector<nlohmann::json>>;

struct Finder {
  const TransactionHistory& history;
  const AppendIndex& index;
  Cases cases;

  std::int64_t op_index(TxnId t) const { return history.txns[t].index; }
  nlohmann::json mop(std::uint32_t m) const { return micro_op_json(history, history.micro_ops[m]); }
  nlohmann::json element(ElementId e) const { return history.element_names[e]; }

  // G1a, G1b and garbage reads: what each read of an ok txn shows, against who appended it.
  void reads_of_others() {
    // (key, element) of appends that a later append of the same txn to the same key followed.
    std::unordered_set<std::uint64_t> intermediate;
    for (const Transaction& txn : history.txns) {
      auto micro_ops = history.micro_ops_of(txn);
      for (std::size_t i = 0; i < micro_ops.size(); ++i) {
        if (micro_ops[i].kind != MicroOp::Kind::append) continue;
        for (std::size_t j = i + 1; j < micro_ops.size(); ++j) {
          if (micro_ops[j].kind != MicroOp::Kind::append || micro_ops[j].key != micro_ops[i].key) continue;
          intermediate.insert(key_element(micro_ops[i].key, micro_ops[i].element));
          break;
        }
      }
    }
    for (TxnId t = 0; t < history.txns.size(); ++t) {
      const Transaction& txn = history.txns[t];
      if (txn.outcome != Outcome::ok) continue;
      for (std::uint32_t m = txn.micro_op_begin; m < txn.micro_op_begin + txn.micro_op_count; ++m) {
        const MicroOp& micro_op = history.micro_ops[m];
        if (micro_op.kind != MicroOp::Kind::read || micro_op.read_unknown) continue;
        auto list = history.read_list(micro_op);
        for (ElementId e : list) {
          auto writer = index.writer_of(micro_op.key, e);
          if (!writer) {
            cases["garbage-read"].push_back({{"op", op_index(t)}, {"mop", mop(m)}, {"element", element(e)}});
          } else if (history.txns[*writer].outcome == Outcome::fail) {
            cases["G1a"].push_back({{"op", op_index(t)}, {"mop", mop(m)}, {"writer", op_index(*writer)}, {"element", element(e)}});
          }
        }
        if (list.empty()) continue;
        auto writer = index.writer_of(micro_op.key, list.back());
        if (writer && *writer != t && intermediate.contains(key_element(micro_op.key, list.back())))
          cases["G1b"].push_back({{"op", op_index(t)}, {"mop", mop(m)}, {"writer", op_index(*writer)}, {"element", element(list.back())}});
      }
    }
  }

  // internal and future-read, within each ok txn (Elle's op-int-case, op-future-read-case).
  // Transactions are small, so what each expects is kept in short vectors, searched in order.
  void within_transactions() {
    struct Expected {
      KeyId key;
      std::vector<ElementId> list;  // what the next read of key must show (its end, when prefix_unknown)
      bool prefix_unknown;
    };
    std::vector<Expected> expected;
    for (TxnId t = 0; t < history.txns.size(); ++t) {
      const Transaction& txn = history.txns[t];
      if (txn.outcome != Outcome::ok) continue;
      expected.clear();
      auto expected_of = [&](KeyId key) -> Expected* {
        for (Expected& e : expected)
          if (e.key == key) return &e;
        return nullptr;
      };
      bool internal_found = false, future_found = false;
      for (std::uint32_t m = txn.micro_op_begin; m < txn.micro_op_begin + txn.micro_op_count; ++m) {
        const MicroOp& micro_op = history.micro_ops[m];
        if (micro_op.kind == MicroOp::Kind::append) {
          // Did an earlier read of this txn show the element it appends only now?
          for (std::uint32_t r = txn.micro_op_begin; r < m && !future_found; ++r) {
            const MicroOp& read = history.micro_ops[r];
            if (read.kind != MicroOp::Kind::read || read.read_unknown || read.key != micro_op.key) continue;
            auto list = history.read_list(read);
            if (std::find(list.begin(), list.end(), micro_op.element) == list.end()) continue;
            cases["future-read"].push_back({{"op", op_index(t)}, {"mop", mop(r)}, {"element", element(micro_op.element)}});
            future_found = true;
          }
          Expected* want = expected_of(micro_op.key);
          if (want == nullptr) want = &expected.emplace_back(Expected{micro_op.key, {}, true});
          want->list.push_back(micro_op.element);
          continue;
        }
        if (micro_op.read_unknown) continue;
        auto list = history.read_list(micro_op);
        Expected* want = expected_of(micro_op.key);
        if (want != nullptr && !internal_found) {
          const bool consistent =
              want->prefix_unknown
                  ? list.size() >= want->list.size() &&
                        std::equal(want->list.begin(), want->list.end(), list.end() - static_cast<std::ptrdiff_t>(want->list.size()))
                  : std::equal(list.begin(), list.end(), want->list.begin(), want->list.end());
          if (!consistent) {
            nlohmann::json shown = nlohmann::json::array();
            if (want->prefix_unknown) shown.push_back("...");
            for (ElementId e : want->list) shown.push_back(element(e));
            cases["internal"].push_back({{"op", op_index(t)}, {"mop", mop(m)}, {"expected", shown}});
            internal_found = true;
          }
        }
        if (want == nullptr) want = &expected.emplace_back(Expected{micro_op.key, {}, false});
        want->list.assign(list.begin(), list.end());
        want->prefix_unknown = false;
      }
    }
  }

  void duplicates() {
    // seen[e] == the number of the read being scanned: e already appeared in it.
    std::vector<std::uint32_t> seen(history.element_names.size(), 0);
    std::uint32_t read_number = 0;
    for (TxnId t = 0; t < history.txns.size(); ++t) {
      const Transaction& txn = history.txns[t];
      if (!possible(txn)) continue;
      for (std::uint32_t m = txn.micro_op_begin; m < txn.micro_op_begin + txn.micro_op_count; ++m) {
        const MicroOp& micro_op = history.micro_ops[m];
        if (micro_op.kind != MicroOp::Kind::read || micro_op.read_unknown) continue;
        ++read_number;
        bool any = false;
        for (ElementId e : history.read_list(micro_op)) {
          any = any || seen[e] == read_number;
          seen[e] = read_number;
        }
        if (!any) continue;
        std::map<std::string, int> counts;
        for (ElementId e : history.read_list(micro_op)) ++counts[history.element_names[e].dump()];
        nlohmann::json duplicated = nlohmann::json::object();
        for (const auto& [e, count] : counts)
          if (count > 1) duplicated[e] = count;
        cases["duplicate-elements"].push_back({{"op", op_index(t)}, {"mop", mop(m)}, {"duplicates", duplicated}});
      }
    }
  }

  void incompatible_orders() {
    for (const IncompatibleOrder& order : index.incompatible_orders)
      cases["incompatible-order"].push_back({{"key", history.key_names[order.key]},
                                             {"values", {mop(order.micro_op)[2], mop(order.longest_micro_op)[2]}},
                                             {"ops", {op_index(order.reader), op_index(order.longest_reader)}}});
  }

  // Along each key's version order: an aborted element followed by a committed one.
  void dirty_updates() {
    for (KeyId key = 0; key < index.order.size(); ++key) {
      Outcome state = Outcome::ok;  // the initial state counts as committed
      TxnId aborted_writer = 0;
      nlohmann::json elements = nlohmann::json::array();
      for (ElementId e : index.order[key]) {
        auto writer = index.writer_of(key, e);
        if (!writer) continue;  // a garbage read, reported as such
        const Outcome outcome = history.txns[*writer].outcome;
        if (outcome == Outcome::fail) {
          if (state != Outcome::fail) {
            aborted_writer = *writer;
            elements = nlohmann::json::array();
          }
          state = Outcome::fail;
          elements.push_back(element(e));
        } else if (outcome == Outcome::ok) {
          if (state == Outcome::fail) {
            elements.push_back(element(e));
            cases["dirty-update"].push_back({{"key", history.key_names[key]}, {"values", elements}, {"txns", {op_index(aborted_writer), "...", op_index(*writer)}}});
          }
          state = Outcome::ok;
        } else if (state == Outcome::fail) {
          elements.push_back(element(e));  // info: cannot say; keep the aborted range open
        }
      }
    }
  }

  // Two ok txns that read one state of a key (their first read of it) and then appended to it.
  void lost_updates() {
    std::map<std::pair<KeyId, std::vector<ElementId>>, std::vector<TxnId>> by_state;
    for (TxnId t = 0; t < history.txns.size(); ++t) {
      const Transaction& txn = history.txns[t];
      if (txn.outcome != Outcome::ok) continue;
      std::unordered_map<KeyId, std::uint32_t> first_read;
      std::unordered_set<KeyId> appended;
      for (std::uint32_t m = txn.micro_op_begin; m < txn.micro_op_begin + txn.micro_op_count; ++m) {
        const MicroOp& micro_op = history.micro_ops[m];
        if (micro_op.kind == MicroOp::Kind::read) {
          if (!micro_op.read_unknown) first_read.try_emplace(micro_op.key, m);
          continue;
        }
        if (!appended.insert(micro_op.key).second) continue;
        auto read = first_read.find(micro_op.key);
        if (read == first_read.end()) continue;
        auto list = history.read_list(history.micro_ops[read->second]);
        by_state[{micro_op.key, {list.begin(), list.end()}}].push_back(t);
      }
    }
    for (const auto& [state, txns] : by_state) {
      if (txns.size() < 2) continue;
      nlohmann::json value = nlohmann::json::array(), ops = nlohmann::json::array();
      for (ElementId e : state.second) value.push_back(element(e));
      for (TxnId t : txns) ops.push_back(op_index(t));
      cases["lost-update"].push_back({{"key", history.key_names[state.first]}, {"value", value}, {"txns", ops}});
    }
  }
};

}  // namespace

std::map<std::string, std::vector<nlohmann::json>> list_append_anomalies(const TransactionHistory& history,
                                                                         const AppendIndex& index) {
  Finder finder{history, index, {}};
  finder.reads_of_others();
  finder.within_transactions();
  finder.duplicates();
  finder.incompatible_orders();
  finder.dirty_updates();
  finder.lost_updates();
  return std::move(finder.cases);
}

}  // namespace faultline::transactions
