#include "partition_planner.h"

#include <algorithm>
#include <cassert>
#include <cstdint>

// Every draw goes through workloads/random_choice.h, the project's one uniform_below.
#include "../workloads/random_choice.h"

namespace faultline {

namespace {

std::string join(const std::vector<std::string>& words, std::string_view separator = " ") {
  std::string text;
  for (const std::string& word : words) text += (text.empty() ? "" : std::string(separator)) + word;
  return text;
}

std::vector<std::string> sorted(std::vector<std::string> nodes) {
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

bool distinct(const std::vector<std::string>& nodes) {
  return std::set<std::string>(nodes.begin(), nodes.end()).size() == nodes.size();
}

// A Fisher-Yates shuffle drawn from `random` alone (std::shuffle differs between libraries).
template <typename T>
void shuffle(std::vector<T>& items, std::mt19937_64& random) {
  for (std::size_t i = items.size(); i > 1; --i)
    std::swap(items[i - 1], items[uniform_below(random, static_cast<std::int64_t>(i))]);
}

void normalize(Grudge& grudge) {
  for (auto& [node, from] : grudge) from.erase(node);
  std::erase_if(grudge, [](const auto& entry) { return entry.second.empty(); });
}

std::string describe_components(std::vector<std::vector<std::string>> components) {
  std::vector<std::string> parts;
  for (auto& component : components) parts.push_back(join(sorted(component)));
  return join(parts, " | ");
}

}  // namespace

std::optional<PartitionKind> parse_drawn_partition_kind(std::string_view name) {
  for (PartitionKind kind : drawn_partition_kinds)
    if (partition_kind_name(kind) == name) return kind;
  return std::nullopt;
}

int& PartitionWeights::of(PartitionKind kind) {
  switch (kind) {
    case PartitionKind::isolate: return isolate;
    case PartitionKind::halves: return halves;
    case PartitionKind::majorities_ring: return majorities_ring;
    case PartitionKind::bridge: return bridge;
    case PartitionKind::one_way: return one_way;
    case PartitionKind::configured: return configured;
  }
  return configured;
}

std::string_view partition_kind_name(PartitionKind kind) {
  switch (kind) {
    case PartitionKind::isolate:
      return "isolate";
    case PartitionKind::halves:
      return "halves";
    case PartitionKind::majorities_ring:
      return "majorities-ring";
    case PartitionKind::bridge:
      return "bridge";
    case PartitionKind::one_way:
      return "one-way";
    case PartitionKind::configured:
      return "grudge";
  }
  return "?";
}

std::vector<Link> links_cut(const Grudge& grudge) {
  std::vector<Link> links;
  for (const auto& [to, from_nodes] : grudge)
    for (const std::string& from : from_nodes) links.push_back({from, to});
  std::sort(links.begin(), links.end());
  return links;
}

Grudge complete_grudge(const std::vector<std::vector<std::string>>& components) {
  std::vector<std::string> all;
  for (const auto& component : components) all.insert(all.end(), component.begin(), component.end());
  assert(distinct(all) && "components must not share nodes");
  Grudge grudge;
  for (const auto& component : components) {
    const std::set<std::string> own(component.begin(), component.end());
    for (const std::string& node : component)
      for (const std::string& other : all)
        if (!own.contains(other)) grudge[node].insert(other);
  }
  normalize(grudge);
  return grudge;
}

Partition partition_isolate(const std::vector<std::string>& nodes, const std::string& node) {
  assert(nodes.size() >= 2 && distinct(nodes));
  assert(std::find(nodes.begin(), nodes.end(), node) != nodes.end());
  std::vector<std::string> rest;
  for (const std::string& other : nodes)
    if (other != node) rest.push_back(other);
  return {PartitionKind::isolate, complete_grudge({{node}, rest}), node + " | " + join(sorted(rest))};
}

Partition partition_halves(const std::vector<std::string>& nodes) {
  assert(nodes.size() >= 2 && distinct(nodes));
  const auto middle = nodes.begin() + static_cast<std::ptrdiff_t>(nodes.size() / 2);
  const std::vector<std::vector<std::string>> halves = {{nodes.begin(), middle}, {middle, nodes.end()}};
  return {PartitionKind::halves, complete_grudge(halves), describe_components(halves)};
}

Partition partition_majorities_ring(const std::vector<std::string>& ring) {
  assert(ring.size() >= 3 && distinct(ring));
  const std::size_t n = ring.size();
  const std::size_t majority = n / 2 + 1;
  Grudge grudge;
  for (std::size_t i = 0; i < n; ++i) {
    // The window of `majority` consecutive nodes with node i at position floor(majority/2).
    const std::size_t start = i + n - majority / 2;
    std::set<std::string> seen;
    for (std::size_t k = 0; k < majority; ++k) seen.insert(ring[(start + k) % n]);
    for (const std::string& other : ring)
      if (!seen.contains(other)) grudge[ring[i]].insert(other);
  }
  normalize(grudge);
  return {PartitionKind::majorities_ring, grudge, "majorities ring " + join(ring)};
}

Partition partition_bridge(const std::vector<std::string>& nodes) {
  assert(nodes.size() >= 3 && distinct(nodes));
  const auto middle = nodes.begin() + static_cast<std::ptrdiff_t>(nodes.size() / 2);
  const std::vector<std::string> first(nodes.begin(), middle);
  const std::string bridge = *middle;
  const std::vector<std::string> second(middle + 1, nodes.end());
  Grudge grudge = complete_grudge({first, second});
  return {PartitionKind::bridge, grudge,
          "bridge " + bridge + ": " + join(sorted(first)) + " | " + join(sorted(second))};
}

Partition partition_one_way(const std::vector<Link>& links) {
  assert(!links.empty());
  Grudge grudge;
  for (const Link& link : links) {
    assert(link.from != link.to);
    grudge[link.to].insert(link.from);
  }
  std::vector<std::string> parts;
  for (const Link& link : links_cut(grudge)) parts.push_back(link.from + "->" + link.to);
  return {PartitionKind::one_way, grudge, "one-way " + join(parts)};
}

std::expected<Grudge, std::string> parse_grudge(const nlohmann::json& json, const std::vector<std::string>& nodes) {
  const std::set<std::string> known(nodes.begin(), nodes.end());
  const auto unknown = [&](const std::string& node, const std::string& where) {
    return "grudge: " + where + "'" + node + "' is not a node (the nodes are " + join(sorted(nodes)) + ")";
  };
  if (!json.is_object())
    return std::unexpected(std::string("grudge: expected an object of node -> nodes it drops traffic from, like "
                                       "{\"n1\": [\"n2\"]}; got ") +
                           json.type_name());
  Grudge grudge;
  for (const auto& [node, from_nodes] : json.items()) {
    if (!known.contains(node)) return std::unexpected(unknown(node, ""));
    if (!from_nodes.is_array())
      return std::unexpected("grudge: \"" + node + "\" must map to an array of node names; got " +
                             from_nodes.type_name());
    for (const auto& from : from_nodes) {
      if (!from.is_string())
        return std::unexpected("grudge: \"" + node + "\" lists a " + from.type_name() + ", not a node name");
      const std::string name = from.get<std::string>();
      if (!known.contains(name)) return std::unexpected(unknown(name, "\"" + node + "\" drops traffic from "));
      if (name == node) return std::unexpected("grudge: \"" + node + "\" cannot drop traffic from itself");
      grudge[node].insert(name);
    }
  }
  normalize(grudge);
  if (grudge.empty()) return std::unexpected(std::string("grudge: cuts no link (every node's list is empty)"));
  return grudge;
}

Partition partition_configured(const Grudge& grudge) {
  assert(!grudge.empty());
  std::vector<std::string> parts;
  for (const auto& [node, from] : grudge)
    parts.push_back(node + " drops " + join(std::vector<std::string>(from.begin(), from.end())));
  return {PartitionKind::configured, grudge, "grudge " + join(parts, "; ")};
}

std::string validate_partition_planner_options(const PartitionPlannerOptions& options) {
  if (options.nodes.empty()) return "the partition nemesis needs at least one node";
  if (!distinct(options.nodes)) return "the partition nemesis was given a node twice";
  const PartitionWeights& w = options.weights;
  for (int weight : {w.isolate, w.halves, w.majorities_ring, w.bridge, w.one_way, w.configured})
    if (weight < 0) return "partition weights must not be negative";
  const std::size_t n = options.nodes.size();
  const bool possible = (n >= 2 && (w.isolate > 0 || w.halves > 0 || w.one_way > 0)) ||
                        (n >= 3 && (w.majorities_ring > 0 || w.bridge > 0)) ||
                        (options.configured_grudge && w.configured > 0);
  if (!possible)
    return "no partition is possible: " + std::to_string(n) +
           " node(s), and no kind that fits them has a positive weight (isolate, halves and one-way need 2 "
           "nodes, majorities-ring and bridge 3, grudge a configured grudge)";
  if (options.configured_grudge) {
    const std::set<std::string> known(options.nodes.begin(), options.nodes.end());
    for (const Link& link : links_cut(*options.configured_grudge))
      if (!known.contains(link.from) || !known.contains(link.to))
        return "the configured grudge names a node that is not in the cluster";
  }
  return "";
}

Partition next_partition(const PartitionPlannerOptions& options, std::mt19937_64& random) {
  assert(validate_partition_planner_options(options).empty());
  const std::size_t n = options.nodes.size();
  const PartitionWeights& w = options.weights;
  std::vector<Weighted<PartitionKind>> possible;
  if (n >= 2) possible.push_back({PartitionKind::isolate, w.isolate});
  if (n >= 2) possible.push_back({PartitionKind::halves, w.halves});
  if (n >= 3) possible.push_back({PartitionKind::majorities_ring, w.majorities_ring});
  if (n >= 3) possible.push_back({PartitionKind::bridge, w.bridge});
  if (n >= 2) possible.push_back({PartitionKind::one_way, w.one_way});
  if (options.configured_grudge) possible.push_back({PartitionKind::configured, w.configured});
  const std::optional<PartitionKind> chosen = choose_weighted(random, possible);
  assert(chosen.has_value());
  const PartitionKind kind = *chosen;

  std::vector<std::string> order = options.nodes;
  switch (kind) {
    case PartitionKind::isolate:
      return partition_isolate(options.nodes, options.nodes[uniform_below(random, static_cast<std::int64_t>(n))]);
    case PartitionKind::halves:
      shuffle(order, random);
      return partition_halves(order);
    case PartitionKind::majorities_ring:
      shuffle(order, random);
      return partition_majorities_ring(order);
    case PartitionKind::bridge:
      shuffle(order, random);
      return partition_bridge(order);
    case PartitionKind::one_way: {
      std::vector<Link> all;
      for (const std::string& from : options.nodes)
        for (const std::string& to : options.nodes)
          if (from != to) all.push_back({from, to});
      const std::size_t count = 1 + uniform_below(random, static_cast<std::int64_t>(n));
      shuffle(all, random);
      all.resize(count);
      return partition_one_way(all);
    }
    case PartitionKind::configured:
      return partition_configured(*options.configured_grudge);
  }
  assert(false && "every kind is handled");
  return {};
}

nlohmann::json partition_value(const Partition& partition) {
  nlohmann::json grudge = nlohmann::json::object();
  for (const auto& [node, from] : partition.grudge) grudge[node] = std::vector<std::string>(from.begin(), from.end());
  nlohmann::json cut = nlohmann::json::array();
  for (const Link& link : links_cut(partition.grudge)) cut.push_back({link.from, link.to});
  return {{"kind", partition_kind_name(partition.kind)},
          {"grudge", grudge},
          {"cut", cut},
          {"description", partition.description}};
}

const std::string& describe(const Partition& partition) { return partition.description; }

}  // namespace faultline
