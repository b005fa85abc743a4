// The dependency graph of a transactional history (Adya's DSG, as Elle infers it): vertices
// are transactions, edges are write-write (ww), write-read (wr), read-write anti-dependencies
// (rw), real-time order (realtime) and the order of one process's transactions (process). Every edge keeps what justifies it, so a cycle can be
// explained one sentence per edge. No edge joins a transaction to itself.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "transactions/append_index.h"
#include "transactions/transactions.h"

namespace faultline::transactions {

enum class Relation : std::uint8_t { ww = 1, wr = 2, rw = 4, realtime = 8, process = 16 };
using RelationSet = std::uint8_t;  // a union of Relation bits
inline constexpr RelationSet relation_bit(Relation relation) { return static_cast<RelationSet>(relation); }
std::string_view to_string(Relation relation);

struct Edge {
  TxnId from = 0;
  TxnId to = 0;
  Relation relation = Relation::ww;
  KeyId key = 0;
  // List-append: ww: `from` appended `before`, then `to` appended `after`. wr: `to` read a
  // state ending in `after`, which `from` appended. rw: `from` read the state ending in
  // `before` (or initial_state), and `to` appended `after` next.
  // rw-register (rw_register.h): ww: `from` wrote `before`, which `to` read and then wrote
  // `after`. wr: `to` read `after`, which `from` wrote. rw: `from` read `before` (or nil,
  // initial_state), and `to` wrote `after`, a later version. realtime, process: unused.
  ElementId before = initial_state;
  ElementId after = initial_state;
  std::uint32_t micro_op = 0;  // wr: the reading micro-op of `to`; rw: of `from`
};

class DependencyGraph {
 public:
  // Sorts `edges`, keeps the first of each (from, to, relation), and indexes them by `from`.
  DependencyGraph(std::size_t vertices, std::vector<Edge> edges);

  std::size_t vertex_count() const { return out_begin_.size() - 1; }
  std::size_t edge_count() const { return edges_.size(); }
  std::span<const Edge> out(TxnId from) const {
    return {edges_.data() + out_begin_[from], edges_.data() + out_begin_[from + 1]};
  }
  std::span<const Edge> edges() const { return edges_; }
  // The edge from -> to of that relation, or nullptr.
  const Edge* find(TxnId from, TxnId to, Relation relation) const;

 private:
  std::vector<Edge> edges_;
  std::vector<std::uint32_t> out_begin_;
};

// ww, wr and rw edges between ok and info transactions, as Elle's list-append infers them
// (rw-register's are rw_register_edges in rw_register.h).
std::vector<Edge> list_append_edges(const TransactionHistory& history, const AppendIndex& index);

// Real-time edges: a -> b when ok transaction a completed before b (ok or info) was invoked.
// Only a transitive reduction's worth (Elle's realtime-graph): a completed op stays a source
// until an op that follows it completes. O(ops x concurrency).
std::vector<Edge> realtime_edges(const TransactionHistory& history, const History& ops);

// Process edges: a -> b when b is the next ok transaction of a's process after ok a (Elle's
// process-graph). Needed only for the strong-session models, which real time covers otherwise.
std::vector<Edge> process_edges(const TransactionHistory& history);

}  // namespace faultline::transactions
