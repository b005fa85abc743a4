#include "transactions/cycle_search.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "transactions/components.h"
#include "transactions/consistency_models.h"

namespace faultline::transactions {
namespace {

constexpr RelationSet ww = relation_bit(Relation::ww), wr = relation_bit(Relation::wr), rw = relation_bit(Relation::rw),
                      realtime = relation_bit(Relation::realtime), process = relation_bit(Relation::process);

enum class RwRule : std::uint8_t { none, exactly_one, nonadjacent, adjacent };

struct Shape {
  const char* name;
  RelationSet relations;  // edges the cycle may use
  Relation first;         // the cycle is searched starting with an edge of this relation
  RwRule rw_rule;
  bool needs_wr;
  std::size_t length_min;  // no cycle of this shape is shorter
};

// In an order where a shape comes before every shape it implies, so the skipping is exact.
constexpr Shape shapes[] = {
    {"G0", ww, Relation::ww, RwRule::none, false, 2},
    {"G1c", ww | wr, Relation::wr, RwRule::none, true, 2},
    {"G-single-item", ww | wr | rw, Relation::rw, RwRule::exactly_one, false, 2},
    {"G-nonadjacent-item", ww | wr | rw, Relation::rw, RwRule::nonadjacent, false, 4},
    {"G2-item", ww | wr | rw, Relation::rw, RwRule::adjacent, false, 2},
    {"G0-process", ww | process, Relation::process, RwRule::none, false, 2},
    {"G1c-process", ww | wr | process, Relation::process, RwRule::none, true, 2},
    {"G-single-item-process", ww | wr | rw | process, Relation::process, RwRule::exactly_one, false, 2},
    {"G-nonadjacent-item-process", ww | wr | rw | process, Relation::process, RwRule::nonadjacent, false, 4},
    {"G2-item-process", ww | wr | rw | process, Relation::process, RwRule::adjacent, false, 2},
    {"G0-realtime", ww | realtime, Relation::realtime, RwRule::none, false, 2},
    {"G1c-realtime", ww | wr | realtime, Relation::realtime, RwRule::none, true, 2},
    {"G-single-item-realtime", ww | wr | rw | realtime, Relation::realtime, RwRule::exactly_one, false, 2},
    {"G-nonadjacent-item-realtime", ww | wr | rw | realtime, Relation::realtime, RwRule::nonadjacent, false, 4},
    {"G2-item-realtime", ww | wr | rw | realtime, Relation::realtime, RwRule::adjacent, false, 2},
};

// What a path has seen, in 5 bits: rw edges (0, 1, 2 = two or more), whether the last edge
// was rw, whether two rw edges were adjacent, whether a wr edge was taken.
struct Flags {
  static constexpr std::uint8_t rw_count_mask = 3, last_rw = 4, adjacent = 8, has_wr = 16;
};

std::uint8_t rw_count(std::uint8_t flags) { return flags & Flags::rw_count_mask; }

// The flags after taking an edge of `relation`, or -1 when the shape forbids it.
int step(const Shape& shape, std::uint8_t flags, Relation relation) {
  if (relation != Relation::rw) {
    flags &= static_cast<std::uint8_t>(~Flags::last_rw);
    if (relation == Relation::wr) flags |= Flags::has_wr;
    return flags;
  }
  const bool after_rw = flags & Flags::last_rw;
  if (shape.rw_rule == RwRule::none) return -1;
  if (shape.rw_rule == RwRule::exactly_one && rw_count(flags) >= 1) return -1;
  if (shape.rw_rule == RwRule::nonadjacent && after_rw) return -1;
  if (after_rw) flags |= Flags::adjacent;
  flags = static_cast<std::uint8_t>((flags & ~Flags::rw_count_mask) | std::min(2, rw_count(flags) + 1));
  return flags | Flags::last_rw;
}

// Whether a path with these flags, closed back to its first edge, is a cycle of the shape.
bool accepts(const Shape& shape, std::uint8_t flags) {
  if (shape.needs_wr && !(flags & Flags::has_wr)) return false;
  const bool wraps_adjacent = shape.first == Relation::rw && (flags & Flags::last_rw);
  switch (shape.rw_rule) {
    case RwRule::none: return true;
    case RwRule::exactly_one: return rw_count(flags) == 1;
    case RwRule::nonadjacent: return rw_count(flags) == 2 && !(flags & Flags::adjacent) && !wraps_adjacent;
    case RwRule::adjacent: return rw_count(flags) == 2 && ((flags & Flags::adjacent) || wraps_adjacent);
  }
  return false;
}

// Splits a closed walk that passes a vertex twice into simple cycles.
std::vector<std::vector<Edge>> simple_cycles(const std::vector<Edge>& walk) {
  std::vector<std::vector<Edge>> cycles;
  std::vector<Edge> path;
  std::unordered_map<TxnId, std::size_t> at;  // vertex -> place in path where it is the `from`
  for (const Edge& edge : walk) {
    at.emplace(edge.from, path.size());
    path.push_back(edge);
    auto seen = at.find(edge.to);
    if (seen == at.end()) continue;
    std::vector<Edge> cycle(path.begin() + static_cast<std::ptrdiff_t>(seen->second), path.end());
    for (const Edge& removed : cycle) at.erase(removed.from);
    path.resize(seen->second);
    cycles.push_back(std::move(cycle));
  }
  return cycles;
}

class ShapeSearch {
 public:
  ShapeSearch(const DependencyGraph& graph, std::uint64_t steps_max)
      : graph_(graph), visited_(graph.vertex_count(), 0), steps_left_(steps_max) {}

  bool out_of_steps() const { return out_of_steps_; }

  // The shortest cycle of `shape` found among `vertices` (a component of the shape's
  // relations), trying each candidate start in turn.
  std::optional<std::vector<Edge>> shortest(const Shape& shape, std::span<const TxnId> vertices,
                                            const std::vector<char>& inside, const ComponentFinder* reach) {
    std::optional<std::vector<Edge>> best;
    for (TxnId start : vertices) {
      if (best && best->size() <= shape.length_min) break;
      if (out_of_steps_) break;
      auto found = from(shape, start, inside, reach, best ? best->size() : SIZE_MAX);
      if (found && (!best || found->size() < best->size())) best = std::move(found);
    }
    return best;
  }

 private:
  struct Node {
    TxnId vertex;
    std::uint8_t flags;
    std::uint32_t parent;  // place in queue_, or none
    const Edge* via;
  };
  static constexpr std::uint32_t none = 0xFFFFFFFFu;

  bool mark(TxnId vertex, std::uint8_t flags) {
    const std::uint32_t bit = 1u << flags;
    if (visited_[vertex] & bit) return false;
    if (visited_[vertex] == 0) touched_.push_back(vertex);
    visited_[vertex] |= bit;
    return true;
  }

  std::vector<Edge> walk_to(std::uint32_t node, const Edge& closing) const {
    std::vector<Edge> walk{closing};
    for (std::uint32_t at = node; at != none; at = queue_[at].parent) walk.push_back(*queue_[at].via);
    std::reverse(walk.begin(), walk.end());
    return walk;
  }

  // The shortest cycle of `shape` through `start` beginning with a `shape.first` edge, shorter
  // than `shorter_than` edges.
  std::optional<std::vector<Edge>> from(const Shape& shape, TxnId start, const std::vector<char>& inside,
                                        const ComponentFinder* reach, std::size_t shorter_than) {
    queue_.clear();
    for (TxnId v : touched_) visited_[v] = 0;
    touched_.clear();
    for (const Edge& edge : graph_.out(start)) {
      if (edge.relation != shape.first || !inside[edge.to]) continue;
      // G-single-item's one rw edge u -> v closes a cycle only if v reaches u by ww and wr:
      // impossible when v's component (of ww+wr) comes after u's in topological order.
      if (reach != nullptr && reach->component_of(edge.to) < reach->component_of(start)) continue;
      const int flags = step(shape, 0, edge.relation);
      if (flags >= 0 && mark(edge.to, static_cast<std::uint8_t>(flags)))
        queue_.push_back({edge.to, static_cast<std::uint8_t>(flags), none, &edge});
    }
    std::size_t level_end = queue_.size(), length = 1;  // edges on the paths of this level
    for (std::size_t head = 0; head < queue_.size(); ++head) {
      if (head == level_end) {
        level_end = queue_.size();
        ++length;
      }
      if (length + 1 >= shorter_than) return std::nullopt;
      const Node node = queue_[head];
      for (const Edge& edge : graph_.out(node.vertex)) {
        if (steps_left_ == 0) {
          out_of_steps_ = true;
          return std::nullopt;
        }
        --steps_left_;
        if (!(relation_bit(edge.relation) & shape.relations) || !inside[edge.to]) continue;
        const int flags = step(shape, node.flags, edge.relation);
        if (flags < 0) continue;
        if (edge.to == start) {
          if (!accepts(shape, static_cast<std::uint8_t>(flags))) continue;
          auto walk = walk_to(static_cast<std::uint32_t>(head), edge);
          for (auto& cycle : simple_cycles(walk))
            if (classify_cycle(cycle) == shape.name) return cycle;
          continue;
        }
        if (mark(edge.to, static_cast<std::uint8_t>(flags)))
          queue_.push_back({edge.to, static_cast<std::uint8_t>(flags), static_cast<std::uint32_t>(head), &edge});
      }
    }
    return std::nullopt;
  }

  const DependencyGraph& graph_;
  std::vector<std::uint32_t> visited_;  // vertex -> bit set of Flags seen there
  std::vector<TxnId> touched_;
  std::vector<Node> queue_;
  std::uint64_t steps_left_;
  bool out_of_steps_ = false;
};

}  // namespace

std::string classify_cycle(const std::vector<Edge>& steps) {
  std::size_t rw_edges = 0, wr_edges = 0, ww_edges = 0, realtime_edges = 0, process_edges = 0;
  bool rw_adjacent = false;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Relation relation = steps[i].relation;
    rw_edges += relation == Relation::rw;
    wr_edges += relation == Relation::wr;
    ww_edges += relation == Relation::ww;
    realtime_edges += relation == Relation::realtime;
    process_edges += relation == Relation::process;
    const Relation previous = steps[(i + steps.size() - 1) % steps.size()].relation;
    if (relation == Relation::rw && previous == Relation::rw && steps.size() > 1) rw_adjacent = true;
  }
  std::string type = rw_edges == 1 ? "G-single-item"
                     : rw_edges > 1 ? (rw_adjacent ? "G2-item" : "G-nonadjacent-item")
                     : wr_edges > 0 ? "G1c"
                     : ww_edges > 0 ? "G0"
                                    : "order-only";
  return realtime_edges > 0 ? type + "-realtime" : process_edges > 0 ? type + "-process" : type;
}

CycleSearchResult find_cycles(const DependencyGraph& graph, OrderEdges order_edges, std::uint64_t steps_max) {
  CycleSearchResult result;
  ComponentFinder finder(graph);
  const RelationSet order = order_edges == OrderEdges::realtime ? realtime : order_edges == OrderEdges::process ? process : 0;
  const RelationSet all = ww | wr | rw | order;
  const Components components = finder.find(finder.all_vertices(), all);
  ComponentFinder sub_finder(graph), reach_finder(graph);
  std::vector<char> inside(graph.vertex_count(), 0);
  for (std::uint32_t c : components.cyclic()) {
    ++result.cyclic_components;
    const std::vector<TxnId>& members = components.members[c];
    std::set<std::string> implied;  // by the cycles found in this component
    for (const Shape& shape : shapes) {
      const RelationSet shape_order = shape.relations & (realtime | process);
      if (shape_order != 0 && shape_order != order) continue;
      if (implied.contains(shape.name)) continue;
      ShapeSearch search(graph, steps_max);
      std::optional<std::vector<Edge>> best;
      // Only inside components of the shape's own relations can its cycles be.
      const Components parts = sub_finder.find(members, shape.relations);
      for (std::uint32_t part : parts.cyclic()) {
        const std::vector<TxnId>& vertices = parts.members[part];
        for (TxnId v : vertices) inside[v] = 1;
        const ComponentFinder* reach = nullptr;
        if (shape.first == Relation::rw && shape.rw_rule == RwRule::exactly_one) {
          reach_finder.find(vertices, ww | wr);
          reach = &reach_finder;
        }
        auto found = search.shortest(shape, vertices, inside, reach);
        for (TxnId v : vertices) inside[v] = 0;
        if (found && (!best || found->size() < best->size())) best = std::move(found);
        if (best && best->size() <= shape.length_min) break;
        if (search.out_of_steps()) break;
      }
      if (best) {
        result.cycles.push_back({shape.name, std::move(*best)});
        const std::set<std::string> now_implied = all_implied_anomalies({shape.name});
        implied.insert(now_implied.begin(), now_implied.end());
      } else if (search.out_of_steps()) {
        result.timeouts.push_back({shape.name, members.size()});
      }
    }
  }
  return result;
}

}  // namespace faultline::transactions
