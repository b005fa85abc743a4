// The packet planner and how its faults combine with partitions on the links.
#include "packet_planner.h"

#include <catch2/catch.hpp>

#include "partition_applier.h"

using namespace faultline;

TEST_CASE("packet faults pick 1 to N nodes and one of the enabled behaviours, with the configured settings") {
  PacketPlannerOptions options;
  options.nodes = {"n1", "n2", "n3"};
  REQUIRE(validate_packet_planner_options(options).empty());
  std::mt19937_64 random(11);
  std::set<std::size_t> sizes;
  int delays = 0, losses = 0;
  for (int i = 0; i < 200; ++i) {
    const PacketFault fault = next_packet_fault(options, random);
    sizes.insert(fault.nodes.size());
    CHECK(std::is_sorted(fault.nodes.begin(), fault.nodes.end()));
    CHECK_FALSE(fault.link.cut);
    if (fault.behaviour == PacketBehaviour::delay) {
      ++delays;
      CHECK(fault.link == proxy::LinkState{false, 50, 50, 0});
    } else {
      ++losses;
      CHECK(fault.link == proxy::LinkState{false, 0, 0, 0.2});
    }
  }
  CHECK(sizes == std::set<std::size_t>{1, 2, 3});
  CHECK(delays > 50);
  CHECK(losses > 50);
  options.behaviours = {PacketBehaviour::loss};
  for (int i = 0; i < 20; ++i) CHECK(next_packet_fault(options, random).behaviour == PacketBehaviour::loss);
}

TEST_CASE("packet faults are recorded and described for people") {
  const PacketFault delay{PacketBehaviour::delay, {"n1", "n3"}, proxy::LinkState{false, 50, 20, 0}};
  CHECK(packet_fault_value(delay) ==
        nlohmann::json{{"behaviour", "delay"}, {"nodes", {"n1", "n3"}}, {"latency_ms", 50}, {"jitter_ms", 20}});
  CHECK(describe(delay) == "delay n1 n3 50ms+0-20ms");
  CHECK(describe(PacketFault{PacketBehaviour::loss, {"n2"}, proxy::LinkState{false, 0, 0, 0.25}}) == "loss n2 25%");
  CHECK(packet_fault_touches(delay, "n1", "n2"));
  CHECK(packet_fault_touches(delay, "n2", "n3"));
  CHECK_FALSE(packet_fault_touches(PacketFault{PacketBehaviour::loss, {"n2"}, {}}, "n1", "n3"));
}

TEST_CASE("bad packet options are named") {
  PacketPlannerOptions options;
  options.nodes = {"n1"};
  CHECK_THAT(validate_packet_planner_options(options), Catch::Contains("at least 2 nodes"));
  options.nodes = {"n1", "n2"};
  options.behaviours.clear();
  CHECK_THAT(validate_packet_planner_options(options), Catch::Contains("at least one behaviour"));
  options.behaviours = {PacketBehaviour::loss};
  options.loss_probability = 1.5;
  CHECK_THAT(validate_packet_planner_options(options), Catch::StartsWith("packet loss: "));
  options.loss_probability = 0;
  CHECK_THAT(validate_packet_planner_options(options), Catch::Contains("does nothing"));
}

TEST_CASE("links carry the partition's cuts and the packet fault's delay together, either ends alone") {
  const std::vector<std::string> nodes = {"n1", "n2", "n3"};
  const Partition isolate_n3 = partition_isolate(nodes, "n3");
  const PacketFault slow_n1{PacketBehaviour::delay, {"n1"}, proxy::LinkState{false, 50, 50, 0}};
  auto text = [](const std::vector<proxy::LinkChange>& changes) {
    std::vector<std::string> lines;
    for (const auto& c : changes)
      lines.push_back(c.from + "->" + c.to + (c.state.cut ? " cut" : "") +
                      (c.state.latency_ms ? " +" + std::to_string(c.state.latency_ms) + "ms" : ""));
    return lines;
  };
  CHECK(text(network_link_changes(nodes, isolate_n3, slow_n1)) ==
        std::vector<std::string>{"n1->n2 +50ms", "n1->n3 cut +50ms", "n2->n1 +50ms", "n2->n3 cut", "n3->n1 cut +50ms",
                                 "n3->n2 cut"});
  CHECK(text(network_link_changes(nodes, std::nullopt, slow_n1)) ==
        std::vector<std::string>{"n1->n2 +50ms", "n1->n3 +50ms", "n2->n1 +50ms", "n2->n3", "n3->n1 +50ms", "n3->n2"});
  CHECK(text(network_link_changes(nodes, isolate_n3, std::nullopt)) ==
        std::vector<std::string>{"n1->n2", "n1->n3 cut", "n2->n1", "n2->n3 cut", "n3->n1 cut", "n3->n2 cut"});
}
