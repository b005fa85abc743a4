#include "transactions/dependency_graph.h"

#include <algorithm>
#include <tuple>
#include <unordered_map>

namespace faultline::transactions {

std::string_view to_string(Relation relation) {
  switch (relation) {
    case Relation::ww: return "ww";
    case Relation::wr: return "wr";
    case Relation::rw: return "rw";
    case Relation::realtime: return "realtime";
    case Relation::process: return "process";
  }
  return "?";
}

DependencyGraph::DependencyGraph(std::size_t vertices, std::vector<Edge> edges) : edges_(std::move(edges)) {
  auto order = [](const Edge& a, const Edge& b) {
    return std::tie(a.from, a.to, a.relation) < std::tie(b.from, b.to, b.relation);
  };
  std::stable_sort(edges_.begin(), edges_.end(), order);
  auto same = [](const Edge& a, const Edge& b) { return a.from == b.from && a.to == b.to && a.relation == b.relation; };
  edges_.erase(std::unique(edges_.begin(), edges_.end(), same), edges_.end());
  out_begin_.assign(vertices + 1, 0);
  for (const Edge& edge : edges_) ++out_begin_[edge.from + 1];
  for (std::size_t v = 0; v < vertices; ++v) out_begin_[v + 1] += out_begin_[v];
}

const Edge* DependencyGraph::find(TxnId from, TxnId to, Relation relation) const {
  auto edges = out(from);
  auto it = std::lower_bound(edges.begin(), edges.end(), std::make_pair(to, relation), [](const Edge& edge, const auto& wanted) {
    return std::tie(edge.to, edge.relation) < std::tie(wanted.first, wanted.second);
  });
  return it != edges.end() && it->to == to && it->relation == relation ? &*it : nullptr;
}

std::vector<Edge> list_append_edges(const TransactionHistory& history, const AppendIndex& index) {
  std::vector<Edge> edges;
  for (TxnId t = 0; t < history.txns.size(); ++t) {
    const Transaction& txn = history.txns[t];
    if (!possible(txn)) continue;
    for (std::uint32_t m = txn.micro_op_begin; m < txn.micro_op_begin + txn.micro_op_count; ++m) {
      const MicroOp& micro_op = history.micro_ops[m];
      if (micro_op.kind == MicroOp::Kind::read) {
        if (micro_op.read_unknown || micro_op.read_size == 0) continue;
        const ElementId last = history.read_list(micro_op).back();
        // A failed or unknown appender makes no edge: G1a and garbage reads report those.
        auto writer = index.writer_of(micro_op.key, last);
        if (writer && *writer != t && possible(history.txns[*writer]))
          edges.push_back({*writer, t, Relation::wr, micro_op.key, initial_state, last, m});
        continue;
      }
      const ElementId previous = index.previous_element(micro_op.key, micro_op.element);
      if (previous != initial_state) {
        auto writer = index.writer_of(micro_op.key, previous);
        if (writer && *writer != t && possible(history.txns[*writer]))
          edges.push_back({*writer, t, Relation::ww, micro_op.key, previous, micro_op.element, m});
      }
      auto readers = index.readers.find(key_element(micro_op.key, previous));
      if (readers == index.readers.end()) continue;
      for (TxnId reader : readers->second) {
        if (reader == t) continue;
        // The reading micro-op, for the explanation: the reader's read of that state.
        std::uint32_t read_micro_op = 0;
        const Transaction& reader_txn = history.txns[reader];
        for (std::uint32_t r = reader_txn.micro_op_begin; r < reader_txn.micro_op_begin + reader_txn.micro_op_count; ++r) {
          const MicroOp& read = history.micro_ops[r];
          if (read.kind != MicroOp::Kind::read || read.read_unknown || read.key != micro_op.key) continue;
          const ElementId state = read.read_size == 0 ? initial_state : history.read_list(read).back();
          if (state == previous) {
            read_micro_op = r;
            break;
          }
        }
        edges.push_back({reader, t, Relation::rw, micro_op.key, previous, micro_op.element, read_micro_op});
      }
    }
  }
  return edges;
}

std::vector<Edge> process_edges(const TransactionHistory& history) {
  // Ok transactions in the order they completed, per process.
  std::vector<TxnId> ok;
  for (TxnId t = 0; t < history.txns.size(); ++t)
    if (history.txns[t].outcome == Outcome::ok) ok.push_back(t);
  std::sort(ok.begin(), ok.end(), [&](TxnId a, TxnId b) { return history.txns[a].complete_position < history.txns[b].complete_position; });
  std::unordered_map<std::int64_t, TxnId> last_of_process;
  std::vector<Edge> edges;
  for (TxnId t : ok) {
    auto [last, first] = last_of_process.try_emplace(history.txns[t].process, t);
    if (!first) {
      edges.push_back({last->second, t, Relation::process});
      last->second = t;
    }
  }
  return edges;
}

std::vector<Edge> realtime_edges(const TransactionHistory& history, const History& ops) {
  // Which transaction each op position belongs to, and whether it is the invocation.
  constexpr TxnId none = 0xFFFFFFFFu;
  std::vector<TxnId> invoked_at(ops.size(), none), completed_at(ops.size(), none);
  for (TxnId t = 0; t < history.txns.size(); ++t) {
    const Transaction& txn = history.txns[t];
    invoked_at[txn.invoke_position] = t;
    if (txn.complete_position >= 0) completed_at[static_cast<std::size_t>(txn.complete_position)] = t;
  }
  std::vector<Edge> edges;
  std::vector<TxnId> frontier;                        // ok txns that still precede every new invocation
  std::vector<std::pair<std::uint32_t, std::uint32_t>> incoming(history.txns.size(), {0, 0});  // edge range into t
  std::vector<char> in_frontier(history.txns.size(), 0);
  for (std::size_t position = 0; position < ops.size(); ++position) {
    if (TxnId t = invoked_at[position]; t != none) {
      if (!possible(history.txns[t])) continue;
      const auto begin = static_cast<std::uint32_t>(edges.size());
      for (TxnId source : frontier) edges.push_back({source, t, Relation::realtime});
      incoming[t] = {begin, static_cast<std::uint32_t>(edges.size())};
    } else if (TxnId t = completed_at[position]; t != none && history.txns[t].outcome == Outcome::ok) {
      // Everything that preceded t precedes, through t, whatever follows t.
      for (std::uint32_t e = incoming[t].first; e < incoming[t].second; ++e) in_frontier[edges[e].from] = 0;
      std::erase_if(frontier, [&](TxnId source) { return !in_frontier[source]; });
      frontier.push_back(t);
      in_frontier[t] = 1;
    }
  }
  return edges;
}

}  // namespace faultline::transactions
