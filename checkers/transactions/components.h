// Strongly connected components (Tarjan's algorithm, iterative) of a dependency graph seen
// through a set of relations, over all vertices or only over some (one component of an
// earlier pass). Components are numbered in reverse topological order: an edge between two
// components goes from the higher number to the lower. The finder keeps its scratch arrays,
// so a pass over k vertices costs O(k + their edges), not O(graph).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "transactions/dependency_graph.h"

namespace faultline::transactions {

inline constexpr std::uint32_t no_component = 0xFFFFFFFFu;

struct Components {
  std::vector<std::vector<TxnId>> members;  // component -> its vertices, ascending
  // Components of more than one vertex: the only ones that hold cycles (there are no self-edges).
  std::vector<std::uint32_t> cyclic() const;
};

class ComponentFinder {
 public:
  explicit ComponentFinder(const DependencyGraph& graph);

  // Components among `vertices` (all_vertices() for the whole graph), following only
  // edges of `relations` whose both ends are in `vertices`. Afterwards component_of(v) holds
  // for those vertices until the next call.
  Components find(std::span<const TxnId> vertices, RelationSet relations);
  std::uint32_t component_of(TxnId v) const { return component_[v]; }
  std::vector<TxnId> all_vertices() const;

 private:
  const DependencyGraph& graph_;
  std::vector<std::uint32_t> order_, low_, component_;
  std::vector<char> on_stack_, inside_;
};

}  // namespace faultline::transactions
