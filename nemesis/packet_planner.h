// The packet nemesis's plan: links made slow or lossy for a while, after Jepsen's packet
// nemesis. Pure and seeded (STYLE principles 7, 8). A fault picks 1 to N nodes and one
// behaviour; every link into or out of those nodes gets it, until the fault stops.
//
// Behaviours:
//   delay  every chunk of traffic arrives latency_ms later, plus up to jitter_ms (order kept)
//   loss   each packet is lost with loss_probability (the proxy backend: as the delay of a
//          TCP retransmission; the netns backend: an iptables statistic DROP)
// Delay needs the proxy backend (this kernel has no netem qdisc); the caller leaves it out of
// the behaviours for netns.
//
// It matters to protocols whose safety hangs on message timing: a delayed accept arriving after
// a competing prepare widens every race in Paxos and quorum replication.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/link_state.h"

namespace faultline {

// The history's f (Jepsen's names); availability shades start-packet .. stop-packet.
inline constexpr std::string_view fault_start_packet = "start-packet";
inline constexpr std::string_view fault_stop_packet = "stop-packet";

enum class PacketBehaviour { delay, loss };

// "delay", "loss": the one place the names are spelled.
std::string_view packet_behaviour_name(PacketBehaviour behaviour);
inline constexpr PacketBehaviour packet_behaviours_all[] = {PacketBehaviour::delay, PacketBehaviour::loss};
// The behaviour `name` spells; nullopt for any other name.
std::optional<PacketBehaviour> parse_packet_behaviour(std::string_view name);

struct PacketFault {
  PacketBehaviour behaviour = PacketBehaviour::delay;
  std::vector<std::string> nodes;  // links into and out of these nodes, sorted
  proxy::LinkState link;           // what each such link does (never cut)

  bool operator==(const PacketFault&) const = default;
};

struct PacketPlannerOptions {
  std::vector<std::string> nodes;
  std::vector<PacketBehaviour> behaviours = {PacketBehaviour::delay, PacketBehaviour::loss};
  std::int64_t latency_ms = 50;
  std::int64_t jitter_ms = 50;
  double loss_probability = 0.2;
};

// What is wrong with `options` (no nodes, a node twice, no behaviour, a link state the
// network would refuse); empty when usable.
std::string validate_packet_planner_options(const PacketPlannerOptions& options);

// A new fault on 1..N nodes. `options` must be valid.
PacketFault next_packet_fault(const PacketPlannerOptions& options, std::mt19937_64& random);

// Whether traffic from `from` to `to` is touched by `fault`.
bool packet_fault_touches(const PacketFault& fault, const std::string& from, const std::string& to);

// The history's value: {"behaviour": "delay", "nodes": [...], "latency_ms": 50, "jitter_ms":
// 50} or {"behaviour": "loss", "nodes": [...], "loss_probability": 0.2}.
nlohmann::json packet_fault_value(const PacketFault& fault);

// "delay n1 n3 50ms+0-50ms", "loss n2 20%", for people.
std::string describe(const PacketFault& fault);

}  // namespace faultline
