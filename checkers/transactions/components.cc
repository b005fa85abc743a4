#include "transactions/components.h"

#include <algorithm>
#include <numeric>

namespace faultline::transactions {

namespace {
constexpr std::uint32_t unvisited = 0xFFFFFFFFu;
}

std::vector<std::uint32_t> Components::cyclic() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t c = 0; c < members.size(); ++c)
    if (members[c].size() > 1) out.push_back(c);
  return out;
}

ComponentFinder::ComponentFinder(const DependencyGraph& graph)
    : graph_(graph),
      order_(graph.vertex_count(), unvisited),
      low_(graph.vertex_count(), 0),
      component_(graph.vertex_count(), no_component),
      on_stack_(graph.vertex_count(), 0),
      inside_(graph.vertex_count(), 0) {}

std::vector<TxnId> ComponentFinder::all_vertices() const {
  std::vector<TxnId> all(graph_.vertex_count());
  std::iota(all.begin(), all.end(), TxnId{0});
  return all;
}

Components ComponentFinder::find(std::span<const TxnId> vertices, RelationSet relations) {
  for (TxnId v : vertices) {
    inside_[v] = 1;
    order_[v] = unvisited;
    component_[v] = no_component;
  }
  std::vector<TxnId> stack;
  struct Frame {
    TxnId vertex;
    std::uint32_t next_edge;  // offset into graph_.out(vertex)
  };
  std::vector<Frame> calls;
  Components result;
  std::uint32_t counter = 0;
  auto visit = [&](TxnId v) {
    order_[v] = low_[v] = counter++;
    stack.push_back(v);
    on_stack_[v] = 1;
    calls.push_back({v, 0});
  };
  for (TxnId root : vertices) {
    if (order_[root] != unvisited) continue;
    visit(root);
    while (!calls.empty()) {
      const TxnId v = calls.back().vertex;
      auto edges = graph_.out(v);
      bool descended = false;
      while (calls.back().next_edge < edges.size()) {
        const Edge& edge = edges[calls.back().next_edge++];
        if ((relation_bit(edge.relation) & relations) == 0 || !inside_[edge.to]) continue;
        const TxnId w = edge.to;
        if (order_[w] == unvisited) {
          visit(w);
          descended = true;
          break;
        }
        if (on_stack_[w]) low_[v] = std::min(low_[v], order_[w]);
      }
      if (descended) continue;
      calls.pop_back();
      if (!calls.empty()) low_[calls.back().vertex] = std::min(low_[calls.back().vertex], low_[v]);
      if (low_[v] != order_[v]) continue;
      const auto component = static_cast<std::uint32_t>(result.members.size());
      std::vector<TxnId> members;
      TxnId w;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack_[w] = 0;
        component_[w] = component;
        members.push_back(w);
      } while (w != v);
      std::sort(members.begin(), members.end());
      result.members.push_back(std::move(members));
    }
  }
  for (TxnId v : vertices) inside_[v] = 0;
  return result;
}

}  // namespace faultline::transactions
