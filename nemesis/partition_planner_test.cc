// The partition planner: each shape against literal grudges, the majorities-ring property,
// grudge parsing errors, and literal sequences from a seed.
#include "partition_planner.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

std::vector<std::string> node_names(int n) {
  std::vector<std::string> nodes;
  for (int i = 1; i <= n; ++i) nodes.push_back("n" + std::to_string(i));
  return nodes;
}

// The nodes `node` hears from, itself included.
std::set<std::string> seen_by(const Grudge& grudge, const std::vector<std::string>& nodes, const std::string& node) {
  std::set<std::string> seen(nodes.begin(), nodes.end());
  if (const auto it = grudge.find(node); it != grudge.end())
    for (const std::string& other : it->second) seen.erase(other);
  return seen;
}

std::vector<std::string> plan(const PartitionPlannerOptions& options, std::uint64_t seed, int count) {
  std::mt19937_64 random(seed);
  std::vector<std::string> descriptions;
  for (int i = 0; i < count; ++i) descriptions.push_back(describe(next_partition(options, random)));
  return descriptions;
}

}  // namespace

TEST_CASE("isolate cuts one node off, both ways") {
  const Partition partition = partition_isolate(node_names(3), "n2");
  CHECK(partition.kind == PartitionKind::isolate);
  CHECK(partition.grudge == Grudge{{"n1", {"n2"}}, {"n2", {"n1", "n3"}}, {"n3", {"n2"}}});
  CHECK(partition.description == "n2 | n1 n3");
  CHECK(links_cut(partition.grudge) ==
        std::vector<Link>{{"n1", "n2"}, {"n2", "n1"}, {"n2", "n3"}, {"n3", "n2"}});
}

TEST_CASE("halves put the first floor(N/2) nodes against the rest") {
  const Partition five = partition_halves({"n3", "n1", "n2", "n5", "n4"});
  CHECK(five.grudge == Grudge{{"n1", {"n2", "n4", "n5"}},
                              {"n2", {"n1", "n3"}},
                              {"n3", {"n2", "n4", "n5"}},
                              {"n4", {"n1", "n3"}},
                              {"n5", {"n1", "n3"}}});
  CHECK(five.description == "n1 n3 | n2 n4 n5");
  const Partition two = partition_halves({"n2", "n1"});
  CHECK(two.grudge == Grudge{{"n1", {"n2"}}, {"n2", {"n1"}}});
  CHECK(two.description == "n2 | n1");
}

TEST_CASE("complete_grudge: every node drops everyone outside its component") {
  CHECK(complete_grudge({{"a"}, {"b", "c"}, {"d"}}) == Grudge{{"a", {"b", "c", "d"}},
                                                            {"b", {"a", "d"}},
                                                            {"c", {"a", "d"}},
                                                            {"d", {"a", "b", "c"}}});
  CHECK(complete_grudge({{"a", "b"}}).empty());
}

TEST_CASE("majorities ring: literal grudges") {
  SECTION("five nodes: each sees its two neighbours") {
    const Partition ring = partition_majorities_ring(node_names(5));
    CHECK(ring.kind == PartitionKind::majorities_ring);
    CHECK(ring.grudge == Grudge{{"n1", {"n3", "n4"}},
                                {"n2", {"n4", "n5"}},
                                {"n3", {"n1", "n5"}},
                                {"n4", {"n1", "n2"}},
                                {"n5", {"n2", "n3"}}});
    CHECK(ring.description == "majorities ring n1 n2 n3 n4 n5");
  }
  SECTION("three nodes: a majority of two, so the grudge is one-way") {
    const Partition ring = partition_majorities_ring({"n1", "n2", "n3"});
    CHECK(ring.grudge == Grudge{{"n1", {"n2"}}, {"n2", {"n3"}}, {"n3", {"n1"}}});
  }
  SECTION("the ring's order decides") {
    const Partition ring = partition_majorities_ring({"n1", "n3", "n2", "n4"});
    CHECK(ring.grudge == Grudge{{"n1", {"n2"}}, {"n2", {"n1"}}, {"n3", {"n4"}}, {"n4", {"n3"}}});
  }
}

TEST_CASE("majorities ring: every node sees a majority, no two the same (3 to 9 nodes, many seeds)") {
  for (int n = 3; n <= 9; ++n) {
    PartitionPlannerOptions options;
    options.nodes = node_names(n);
    options.weights = {0, 0, 1, 0, 0, 0};
    std::mt19937_64 random(static_cast<std::uint64_t>(n));
    for (int round = 0; round < 50; ++round) {
      const Partition ring = next_partition(options, random);
      REQUIRE(ring.kind == PartitionKind::majorities_ring);
      std::set<std::set<std::string>> majorities;
      for (const std::string& node : options.nodes) {
        const std::set<std::string> seen = seen_by(ring.grudge, options.nodes, node);
        INFO(n << " nodes, " << ring.description << ", node " << node);
        CHECK(seen.size() == static_cast<std::size_t>(n / 2 + 1));
        CHECK(seen.contains(node));
        majorities.insert(seen);
      }
      CHECK(majorities.size() == static_cast<std::size_t>(n));
    }
  }
}

TEST_CASE("bridge: two halves that both see the bridge node") {
  const Partition five = partition_bridge(node_names(5));
  CHECK(five.kind == PartitionKind::bridge);
  CHECK(five.grudge == Grudge{{"n1", {"n4", "n5"}}, {"n2", {"n4", "n5"}}, {"n4", {"n1", "n2"}}, {"n5", {"n1", "n2"}}});
  CHECK(five.description == "bridge n3: n1 n2 | n4 n5");
  const std::vector<std::string> nodes = node_names(5);
  for (const std::string& node : nodes) CHECK(seen_by(five.grudge, nodes, node).contains("n3"));
  CHECK(seen_by(five.grudge, nodes, "n3").size() == 5);

  const Partition three = partition_bridge({"n3", "n1", "n2"});
  CHECK(three.grudge == Grudge{{"n2", {"n3"}}, {"n3", {"n2"}}});
  CHECK(three.description == "bridge n1: n3 | n2");
}

TEST_CASE("one-way drops cut only the named directions") {
  const Partition partition = partition_one_way({{"n3", "n1"}, {"n1", "n2"}});
  CHECK(partition.grudge == Grudge{{"n1", {"n3"}}, {"n2", {"n1"}}});
  CHECK(partition.description == "one-way n1->n2 n3->n1");
}

TEST_CASE("a configured grudge is parsed, or the error says what is wrong") {
  const std::vector<std::string> nodes = node_names(3);
  SECTION("good") {
    const auto grudge = parse_grudge(nlohmann::json::parse(R"({"n2": ["n1"], "n3": ["n1", "n2"], "n1": []})"), nodes);
    REQUIRE(grudge);
    CHECK(*grudge == Grudge{{"n2", {"n1"}}, {"n3", {"n1", "n2"}}});
    CHECK(partition_configured(*grudge).description == "grudge n2 drops n1; n3 drops n1 n2");
  }
  const auto error = [&](const char* text) {
    const auto grudge = parse_grudge(nlohmann::json::parse(text), nodes);
    REQUIRE_FALSE(grudge);
    return grudge.error();
  };
  CHECK(error(R"(["n1"])") ==
        R"(grudge: expected an object of node -> nodes it drops traffic from, like {"n1": ["n2"]}; got array)");
  CHECK(error(R"({"n1": "n2"})") == R"(grudge: "n1" must map to an array of node names; got string)");
  CHECK(error(R"({"n1": [2]})") == R"(grudge: "n1" lists a number, not a node name)");
  CHECK(error(R"({"n9": ["n1"]})") == "grudge: 'n9' is not a node (the nodes are n1 n2 n3)");
  CHECK(error(R"({"n1": ["n7"]})") == R"(grudge: "n1" drops traffic from 'n7' is not a node (the nodes are n1 n2 n3))");
  CHECK(error(R"({"n1": ["n1"]})") == R"(grudge: "n1" cannot drop traffic from itself)");
  CHECK(error(R"({"n1": []})") == "grudge: cuts no link (every node's list is empty)");
}

TEST_CASE("the history value names the kind, the grudge and the links cut") {
  const nlohmann::json value = partition_value(partition_isolate(node_names(3), "n1"));
  CHECK(value == nlohmann::json::parse(R"({
    "kind": "isolate",
    "grudge": {"n1": ["n2", "n3"], "n2": ["n1"], "n3": ["n1"]},
    "cut": [["n1", "n2"], ["n1", "n3"], ["n2", "n1"], ["n3", "n1"]],
    "description": "n1 | n2 n3"})"));
}

TEST_CASE("planner options are checked") {
  PartitionPlannerOptions options;
  CHECK(validate_partition_planner_options(options) == "the partition nemesis needs at least one node");
  options.nodes = {"n1", "n1"};
  CHECK(validate_partition_planner_options(options) == "the partition nemesis was given a node twice");
  options.nodes = {"n1"};
  CHECK(validate_partition_planner_options(options).starts_with("no partition is possible: 1 node(s)"));
  options.nodes = node_names(2);
  CHECK(validate_partition_planner_options(options) == "");
  options.weights = {0, 0, 1, 1, 0, 0};
  CHECK(validate_partition_planner_options(options).starts_with("no partition is possible: 2 node(s)"));
  options.weights.bridge = -1;
  CHECK(validate_partition_planner_options(options) == "partition weights must not be negative");
  options.weights = {0, 0, 0, 0, 0, 1};
  options.configured_grudge = Grudge{{"n1", {"n5"}}};
  CHECK(validate_partition_planner_options(options) == "the configured grudge names a node that is not in the cluster");
}

TEST_CASE("the same seed plans the same partitions") {
  PartitionPlannerOptions options;
  options.nodes = node_names(5);
  CHECK(plan(options, 7, 20) == plan(options, 7, 20));
  CHECK(plan(options, 7, 20) != plan(options, 8, 20));
  CHECK(plan(options, 7, 6) == std::vector<std::string>{"n1 | n2 n3 n4 n5", "bridge n1: n3 n4 | n2 n5",
                                                        "bridge n5: n3 n4 | n1 n2", "bridge n3: n2 n4 | n1 n5",
                                                        "n1 n4 | n2 n3 n5", "n1 | n2 n3 n4 n5"});
}

TEST_CASE("only possible kinds, by weight") {
  PartitionPlannerOptions options;
  options.nodes = node_names(2);
  std::mt19937_64 random(1);
  std::set<PartitionKind> kinds;
  for (int i = 0; i < 200; ++i) kinds.insert(next_partition(options, random).kind);
  CHECK(kinds == std::set<PartitionKind>{PartitionKind::isolate, PartitionKind::halves, PartitionKind::one_way});

  options.nodes = node_names(5);
  options.weights = {0, 0, 0, 0, 0, 1};
  options.configured_grudge = Grudge{{"n1", {"n5"}}};
  CHECK(next_partition(options, random) == partition_configured(*options.configured_grudge));

  options.weights = {0, 0, 0, 0, 1, 0};
  for (int i = 0; i < 50; ++i) {
    const Partition one_way = next_partition(options, random);
    const std::size_t links = links_cut(one_way.grudge).size();
    CHECK(links >= 1);
    CHECK(links <= 5);
  }
}
