#include "fault.h"

namespace faultline {

std::string_view fault_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::kill:
      return fault_kill;
    case FaultKind::restart:
      return fault_restart;
    case FaultKind::pause:
      return fault_pause;
    case FaultKind::resume:
      return fault_resume;
    case FaultKind::power_loss:
      return fault_power_loss;
    case FaultKind::corrupt:
      return fault_corrupt;
  }
  return "?";
}

std::optional<FaultKind> parse_fault_name(std::string_view name) {
  for (FaultKind kind : {FaultKind::kill, FaultKind::restart, FaultKind::pause, FaultKind::resume, FaultKind::power_loss,
                         FaultKind::corrupt})
    if (fault_name(kind) == name) return kind;
  return std::nullopt;
}

bool begins_window(FaultKind kind) {
  for (const FaultWindowKind& window : fault_window_kinds)
    if (window.begins == kind) return true;
  return false;
}

nlohmann::json fault_value(const Fault& fault) {
  if (fault.kind != FaultKind::corrupt || !fault.corruption || fault.nodes.size() != 1) return fault.nodes;
  return nlohmann::json{{fault.nodes.front(), file_corruption_value(*fault.corruption)}};
}

std::optional<Fault> fault_of(const Op& op) {
  if (!op.is_nemesis()) return std::nullopt;
  const auto kind = parse_fault_name(op.f);
  if (kind == FaultKind::corrupt) {
    if (!op.value.is_object() || op.value.size() != 1) return std::nullopt;
    auto corruption = file_corruption_of(op.value.begin().value());
    if (!corruption) return std::nullopt;
    return Fault{FaultKind::corrupt, {op.value.begin().key()}, *corruption};
  }
  if (!kind || !op.value.is_array()) return std::nullopt;
  Fault fault{*kind, {}, std::nullopt};
  for (const nlohmann::json& node : op.value) {
    if (!node.is_string()) return std::nullopt;
    fault.nodes.push_back(node.get<std::string>());
  }
  return fault;
}

std::string describe(const Fault& fault) {
  std::string text(fault_name(fault.kind));
  for (const std::string& node : fault.nodes) text += " " + node;
  if (fault.corruption && fault.corruption->kind == FileCorruption::Kind::truncate)
    text += " (truncate, keep " + std::to_string(static_cast<int>(fault.corruption->keep * 100)) + "%)";
  else if (fault.corruption)
    text += " (flip " + std::to_string(fault.corruption->flips.size()) + " bits)";
  return text;
}

}  // namespace faultline
