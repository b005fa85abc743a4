// The network nemesis's plan: who stops hearing whom. Pure and seeded (STYLE principles 7,
// 8): no proxy, no socket, no clock; the same seed and nodes give the same partitions. The
// appliers (partition_applier.h) carry a partition out on the proxies and heal it.
//
// A partition is a grudge, as in Jepsen: for each node, the set of nodes it drops traffic
// from. Node `to` holding a grudge against `from` cuts the directed link from -> to: bytes
// that `from` sends to `to` are not delivered. Most partitions are symmetric (both directions
// cut); majorities rings of an even majority, bridges and one-way drops need not be.
//
// The kinds, after Jepsen's nemesis (partition-random-node, partition-random-halves,
// majorities-ring, bridge) plus one-way drops and a grudge the user writes in the
// configuration.
#pragma once

#include <compare>
#include <expected>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace faultline {

// node -> the nodes it drops traffic from. Canonical: no node drops from itself, no empty sets,
// so two grudges that cut the same links compare equal.
using Grudge = std::map<std::string, std::set<std::string>>;

// A directed link: traffic from `from` to `to`.
struct Link {
  std::string from;
  std::string to;
  auto operator<=>(const Link&) const = default;
};

enum class PartitionKind { isolate, halves, majorities_ring, bridge, one_way, configured };

// The one place the names are spelled: "isolate", "halves", "majorities-ring", "bridge",
// "one-way", "grudge".
std::string_view partition_kind_name(PartitionKind kind);

// The shapes a planner draws from (every kind but the user's own grudge), and the kind a
// drawn shape's name spells; nullopt for any other name.
inline constexpr PartitionKind drawn_partition_kinds[] = {PartitionKind::isolate, PartitionKind::halves,
                                                          PartitionKind::majorities_ring, PartitionKind::bridge,
                                                          PartitionKind::one_way};
std::optional<PartitionKind> parse_drawn_partition_kind(std::string_view name);

// The history's f for a partition starting and for every link healing (Jepsen's names).
inline constexpr std::string_view fault_start_partition = "start-partition";
inline constexpr std::string_view fault_stop_partition = "stop-partition";

struct Partition {
  PartitionKind kind = PartitionKind::isolate;
  Grudge grudge;
  std::string description;  // for people: "n1 | n2 n3", "majorities ring n1 n2 n3 n4 n5"

  bool operator==(const Partition&) const = default;
};

// The links a grudge cuts, sorted.
std::vector<Link> links_cut(const Grudge& grudge);

// Every node drops traffic from every node outside its own component (Jepsen's
// complete-grudge). Components must not share nodes.
Grudge complete_grudge(const std::vector<std::vector<std::string>>& components);

// The pure shapes, from an order the caller chose (the planner shuffles). `nodes` hold no
// duplicates; the preconditions below are asserted.
//
// `node` cut off from all others, both ways. Needs 2 nodes and `node` among them.
Partition partition_isolate(const std::vector<std::string>& nodes, const std::string& node);
// The first floor(N/2) nodes (a minority, or half when N is even) against the rest, both
// ways (Jepsen's bisect). Needs 2 nodes.
Partition partition_halves(const std::vector<std::string>& nodes);
// `ring` in its order: node i sees the majority of m = floor(N/2)+1 consecutive nodes around
// it (the window of m starting floor(m/2) before it) and drops the others, so every node sees
// a majority and no two see the same one (Jepsen's majorities-ring-perfect). Needs 3 nodes.
Partition partition_majorities_ring(const std::vector<std::string>& ring);
// The halves of partition_halves, except that the first node of the second half (the bridge)
// hears and is heard by everyone. Needs 3 nodes.
Partition partition_bridge(const std::vector<std::string>& nodes);
// Exactly the given directed links cut, nothing else. Needs at least one link, none from a
// node to itself.
Partition partition_one_way(const std::vector<Link>& links);

// A grudge from the configuration: {"n2": ["n1"], "n3": ["n1", "n2"]} means n2 drops traffic
// from n1, n3 from n1 and n2. Errors, for the user: not an object, a value that is not an
// array of strings, an unknown node (the message lists the known ones), a node holding a
// grudge against itself, a grudge that cuts nothing.
std::expected<Grudge, std::string> parse_grudge(const nlohmann::json& json, const std::vector<std::string>& nodes);
// The configured grudge as a partition ("grudge n2 drops n1; n3 drops n1 n2").
Partition partition_configured(const Grudge& grudge);

// Relative chances of the kinds. A kind is possible only with enough nodes (isolate, halves
// and one-way need 2; majorities ring and bridge 3) and, for `configured`, a grudge given.
struct PartitionWeights {
  int isolate = 1;
  int halves = 1;
  int majorities_ring = 1;
  int bridge = 1;
  int one_way = 1;
  int configured = 1;

  int& of(PartitionKind kind);
};

struct PartitionPlannerOptions {
  std::vector<std::string> nodes;
  PartitionWeights weights;
  std::optional<Grudge> configured_grudge;  // from parse_grudge
};

// What is wrong with `options` (no nodes, a node twice, a negative weight, no possible kind
// with a positive weight), for the user; empty when usable.
std::string validate_partition_planner_options(const PartitionPlannerOptions& options);

// The next partition: a kind drawn by weight among the possible ones, then its nodes (a
// shuffle; for one-way, 1 to N distinct directed links). `options` must be valid.
Partition next_partition(const PartitionPlannerOptions& options, std::mt19937_64& random);

// The history's value for a start-partition op:
// {"kind": "halves", "grudge": {"n1": ["n2", "n3"], ...}, "cut": [["n2", "n1"], ...],
//  "description": "n1 | n2 n3"}; "cut" lists [from, to] pairs.
nlohmann::json partition_value(const Partition& partition);

const std::string& describe(const Partition& partition);

}  // namespace faultline
