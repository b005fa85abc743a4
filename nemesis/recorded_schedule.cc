#include "recorded_schedule.h"

#include <cmath>

#include "history/history_format.h"

namespace faultline {
namespace {

using nlohmann::json;

std::optional<PartitionKind> partition_kind_named(const std::string& name) {
  if (auto drawn = parse_drawn_partition_kind(name)) return drawn;
  if (name == partition_kind_name(PartitionKind::configured)) return PartitionKind::configured;
  return std::nullopt;
}

std::expected<Partition, std::string> partition_of(const json& value) {
  if (!value.is_object() || !value.contains("kind") || !value["kind"].is_string() || !value.contains("grudge") ||
      !value["grudge"].is_object())
    return std::unexpected("a partition is {\"kind\", \"grudge\", ...}");
  Partition partition;
  const auto kind = partition_kind_named(value["kind"].get<std::string>());
  if (!kind) return std::unexpected("unknown partition kind " + value["kind"].dump());
  partition.kind = *kind;
  for (const auto& [node, from] : value["grudge"].items()) {
    if (!from.is_array()) return std::unexpected("grudge of " + node + ": expected a list of nodes");
    for (const json& other : from) {
      if (!other.is_string()) return std::unexpected("grudge of " + node + ": expected node names");
      partition.grudge[node].insert(other.get<std::string>());
    }
  }
  partition.description = value.value("description", std::string());
  return partition;
}

std::expected<ClockFault, std::string> clock_fault_of(ClockFaultKind kind, const json& value) {
  ClockFault fault;
  fault.kind = kind;
  auto deltas = [&](const json& object) -> bool {
    if (!object.is_object()) return false;
    for (const auto& [node, delta] : object.items()) {
      if (!delta.is_number_integer()) return false;
      fault.deltas_ms[node] = delta.get<std::int64_t>();
    }
    return true;
  };
  switch (kind) {
    case ClockFaultKind::bump:
      if (!deltas(value)) return std::unexpected("a clock bump is {node: delta_ms}");
      return fault;
    case ClockFaultKind::strobe:
      if (!value.is_object() || !deltas(value.value("deltas_ms", json())) || !value.value("period_ms", json()).is_number_integer() ||
          !value.value("duration_ms", json()).is_number_integer())
        return std::unexpected("a clock strobe is {\"deltas_ms\", \"period_ms\", \"duration_ms\"}");
      fault.strobe_period_ms = value["period_ms"].get<std::int64_t>();
      fault.strobe_duration_ms = value["duration_ms"].get<std::int64_t>();
      return fault;
    case ClockFaultKind::reset:
      if (!value.is_array()) return std::unexpected("a clock reset is [nodes]");
      for (const json& node : value) {
        if (!node.is_string()) return std::unexpected("a clock reset is [nodes]");
        fault.deltas_ms[node.get<std::string>()] = 0;
      }
      return fault;
  }
  return std::unexpected("unknown clock fault");
}

std::expected<PacketFault, std::string> packet_fault_of(const json& value) {
  if (!value.is_object() || !value.value("behaviour", json()).is_string() || !value.value("nodes", json()).is_array())
    return std::unexpected("a packet fault is {\"behaviour\", \"nodes\", ...}");
  const auto behaviour = parse_packet_behaviour(value["behaviour"].get<std::string>());
  if (!behaviour) return std::unexpected("unknown packet behaviour " + value["behaviour"].dump());
  PacketFault fault;
  fault.behaviour = *behaviour;
  for (const json& node : value["nodes"]) {
    if (!node.is_string()) return std::unexpected("a packet fault's nodes are names");
    fault.nodes.push_back(node.get<std::string>());
  }
  if (fault.behaviour == PacketBehaviour::delay) {
    if (!value.value("latency_ms", json()).is_number_integer() || !value.value("jitter_ms", json()).is_number_integer())
      return std::unexpected("a delay has integer latency_ms and jitter_ms");
    fault.link.latency_ms = value["latency_ms"].get<std::int64_t>();
    fault.link.jitter_ms = value["jitter_ms"].get<std::int64_t>();
  } else {
    if (!value.value("loss_probability", json()).is_number()) return std::unexpected("a loss has a loss_probability");
    fault.link.loss_probability = value["loss_probability"].get<double>();
  }
  return fault;
}

}  // namespace

std::expected<NemesisAction, std::string> recorded_action(const std::string& f, const json& value,
                                                          const std::optional<Partition>& partition_in_place,
                                                          const std::optional<PacketFault>& packet_in_place) {
  if (auto kind = parse_fault_name(f)) {
    Op op;
    op.process = nemesis_process;
    op.f = f;
    op.value = value;
    if (auto fault = fault_of(op)) return *fault;
    if (*kind == FaultKind::corrupt) {
      std::string why = "not one node";
      if (value.is_object() && value.size() == 1)
        if (auto plan = file_corruption_of(value.begin().value()); !plan) why = plan.error();
      return std::unexpected("corrupt is {node: plan}, got " + value.dump() + " (" + why + ")");
    }
    return std::unexpected(f + " names its nodes as a list, got " + value.dump());
  }
  if (f == fault_start_partition) {
    auto partition = partition_of(value);
    if (!partition) return std::unexpected(partition.error());
    return PartitionChange{true, std::move(*partition)};
  }
  if (f == fault_stop_partition) {
    if (!partition_in_place) return std::unexpected("stop-partition with no partition in place");
    return PartitionChange{false, *partition_in_place};
  }
  if (f == fault_start_packet) {
    auto fault = packet_fault_of(value);
    if (!fault) return std::unexpected(fault.error());
    return PacketChange{true, std::move(*fault)};
  }
  if (f == fault_stop_packet) {
    if (!packet_in_place) return std::unexpected("stop-packet with no packet fault in place");
    return PacketChange{false, *packet_in_place};
  }
  for (ClockFaultKind kind : {ClockFaultKind::bump, ClockFaultKind::strobe, ClockFaultKind::reset}) {
    if (f != clock_fault_name(kind)) continue;
    auto fault = clock_fault_of(kind, value);
    if (!fault) return std::unexpected(fault.error());
    return *fault;
  }
  return std::unexpected("'" + f + "' is no action of faultline's nemesis");
}

std::expected<std::vector<TimedAction>, std::string> recorded_schedule(const History& history) {
  std::vector<TimedAction> schedule;
  std::optional<Partition> partition;
  std::optional<PacketFault> packet;
  for (const Op& op : history.ops()) {
    if (!op.is_nemesis() || op.type != OpType::invoke) continue;
    auto action = recorded_action(op.f, op.value, partition, packet);
    if (!action) return std::unexpected("op " + std::to_string(op.index) + " (" + op.f + "): " + action.error());
    if (const auto* change = std::get_if<PartitionChange>(&*action)) {
      if (change->start) partition = change->partition;
      else partition.reset();
    }
    if (const auto* change = std::get_if<PacketChange>(&*action)) {
      if (change->start) packet = change->fault;
      else packet.reset();
    }
    schedule.push_back(TimedAction{static_cast<double>(op.time_ns) / 1e9, std::move(*action)});
  }
  return schedule;
}

std::vector<Op> schedule_ops(const std::vector<TimedAction>& schedule) {
  std::vector<Op> ops;
  for (const TimedAction& timed : schedule) {
    Op op;
    op.index = static_cast<std::int64_t>(ops.size());
    op.process = nemesis_process;
    op.type = OpType::invoke;
    op.time_ns = std::llround(timed.at_s * 1e9);
    op.f = std::string(action_name(timed.action));
    op.value = action_value(timed.action);
    ops.push_back(op);
    op.index = static_cast<std::int64_t>(ops.size());
    op.type = OpType::info;
    op.time_ns += 1'000'000;
    ops.push_back(std::move(op));
  }
  return ops;
}

std::expected<std::vector<TimedAction>, std::string> read_recorded_schedule(const std::string& history_file) {
  auto history = read_history_file(history_file, HistoryFormat::jsonl);
  if (!history) return std::unexpected(history.error().to_string());
  auto schedule = recorded_schedule(*history);
  if (!schedule) return std::unexpected(history_file + ": " + schedule.error());
  return schedule;
}

}  // namespace faultline
