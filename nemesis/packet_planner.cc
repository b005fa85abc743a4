#include "packet_planner.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <set>

#include "../workloads/random_choice.h"

namespace faultline {

std::string_view packet_behaviour_name(PacketBehaviour behaviour) {
  switch (behaviour) {
    case PacketBehaviour::delay:
      return "delay";
    case PacketBehaviour::loss:
      return "loss";
  }
  return "?";
}

std::optional<PacketBehaviour> parse_packet_behaviour(std::string_view name) {
  for (PacketBehaviour behaviour : packet_behaviours_all)
    if (packet_behaviour_name(behaviour) == name) return behaviour;
  return std::nullopt;
}

namespace {

proxy::LinkState link_for(const PacketPlannerOptions& options, PacketBehaviour behaviour) {
  proxy::LinkState link;
  if (behaviour == PacketBehaviour::delay) {
    link.latency_ms = options.latency_ms;
    link.jitter_ms = options.jitter_ms;
  } else {
    link.loss_probability = options.loss_probability;
  }
  return link;
}

}  // namespace

std::string validate_packet_planner_options(const PacketPlannerOptions& options) {
  if (options.nodes.size() < 2) return "the packet nemesis needs at least 2 nodes (it acts on links between them)";
  if (std::set<std::string>(options.nodes.begin(), options.nodes.end()).size() != options.nodes.size())
    return "the packet nemesis was given a node twice";
  if (options.behaviours.empty()) return "the packet nemesis needs at least one behaviour (delay, loss)";
  for (PacketBehaviour behaviour : options.behaviours) {
    const proxy::LinkState link = link_for(options, behaviour);
    if (std::string problem = proxy::validate_link_state(link); !problem.empty())
      return "packet " + std::string(packet_behaviour_name(behaviour)) + ": " + problem;
    if (link == proxy::link_open)
      return "packet " + std::string(packet_behaviour_name(behaviour)) + ": does nothing with these settings";
  }
  return "";
}

PacketFault next_packet_fault(const PacketPlannerOptions& options, std::mt19937_64& random) {
  assert(validate_packet_planner_options(options).empty());
  const PacketBehaviour behaviour =
      options.behaviours[static_cast<std::size_t>(uniform_below(random, static_cast<std::int64_t>(options.behaviours.size())))];
  std::vector<std::string> nodes = choose_some(random, options.nodes, options.nodes.size());
  return PacketFault{behaviour, std::move(nodes), link_for(options, behaviour)};
}

bool packet_fault_touches(const PacketFault& fault, const std::string& from, const std::string& to) {
  return std::binary_search(fault.nodes.begin(), fault.nodes.end(), from) ||
         std::binary_search(fault.nodes.begin(), fault.nodes.end(), to);
}

nlohmann::json packet_fault_value(const PacketFault& fault) {
  nlohmann::json value = {{"behaviour", packet_behaviour_name(fault.behaviour)}, {"nodes", fault.nodes}};
  if (fault.behaviour == PacketBehaviour::delay) {
    value["latency_ms"] = fault.link.latency_ms;
    value["jitter_ms"] = fault.link.jitter_ms;
  } else {
    value["loss_probability"] = fault.link.loss_probability;
  }
  return value;
}

std::string describe(const PacketFault& fault) {
  std::string text(packet_behaviour_name(fault.behaviour));
  for (const std::string& node : fault.nodes) text += " " + node;
  if (fault.behaviour == PacketBehaviour::delay)
    text += " " + std::to_string(fault.link.latency_ms) + "ms+0-" + std::to_string(fault.link.jitter_ms) + "ms";
  else
    text += " " + std::to_string(static_cast<int>(std::lround(fault.link.loss_probability * 100))) + "%";
  return text;
}

}  // namespace faultline
