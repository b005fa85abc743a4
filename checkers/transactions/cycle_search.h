// The search for cycles of each forbidden shape in a dependency graph (Elle's elle.txn cycle
// search, done as a breadth-first search over (transaction, what the path has seen so far)):
// first the strongly connected components; then, in each, for each shape in order of severity
// the shortest cycle of that shape found, skipping shapes that one already found implies.
//
// Shapes (Elle's names; a cycle is named by its edges, as Elle's cycle explainer names it):
//   G0                  ww edges only
//   G1c                 ww and wr, at least one wr
//   G-single-item       exactly one rw, the rest ww or wr
//   G-nonadjacent-item  two or more rw, no two of them adjacent
//   G2-item             two or more rw, some two adjacent
//   each with -process or -realtime: the same, with at least one process or realtime edge
//   (searched only when the graph has those edges; a cycle with both is -realtime).
// The search is bounded (cycle_search_steps_max per shape and component); a shape whose
// search ran out reports a cycle-search-timeout, as Elle's does, unless it found a cycle.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "transactions/dependency_graph.h"

namespace faultline::transactions {

// Edges relaxed, at most, in one shape's search in one component.
inline constexpr std::uint64_t cycle_search_steps_max = 20'000'000;

struct Cycle {
  std::string type;         // G0, G1c, G-single-item, ..., G2-item-realtime
  std::vector<Edge> steps;  // steps[i].to == steps[i + 1].from, and the last returns to the first
};

struct CycleSearchTimeout {
  std::string shape;             // the shape whose search ran out (Elle's :anomaly-spec-type)
  std::size_t component_size = 0;
};

struct CycleSearchResult {
  std::vector<Cycle> cycles;                 // at most one per shape and component
  std::vector<CycleSearchTimeout> timeouts;
  std::size_t cyclic_components = 0;
};

// The type Elle gives a cycle with these edges, from their relations alone.
std::string classify_cycle(const std::vector<Edge>& steps);

// Which order edges the graph has, and so which shape variants to search.
enum class OrderEdges { none, process, realtime };

CycleSearchResult find_cycles(const DependencyGraph& graph, OrderEdges order_edges,
                              std::uint64_t steps_max = cycle_search_steps_max);

}  // namespace faultline::transactions
