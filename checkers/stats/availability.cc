#include "stats/availability.h"

#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "stats/client_ops.h"

namespace faultline {
namespace {

using nlohmann::json;

struct FaultWindow {
  const FaultWindowKind* kind = nullptr;
  std::size_t start = 0;                              // position of the completion that put the fault in place
  std::optional<std::size_t> end;                     // position of the completion that repaired it
  std::optional<std::set<std::string>> faulty_nodes;  // when the value is a list of nodes
};

// The nodes a value names, when it is a non-empty array of strings.
// The nodes a nemesis value names: a list of ids (kill, restart, clock-reset), or an object
// keyed by id (clock-bump: {"n1": -2300, "n3": 120}).
std::optional<std::set<std::string>> nodes_of(const json& value) {
  if (value.is_object() && !value.empty()) {
    std::set<std::string> nodes;
    for (const auto& [node, detail] : value.items()) nodes.insert(node);
    return nodes;
  }
  if (!value.is_array() || value.empty()) return std::nullopt;
  std::set<std::string> nodes;
  for (const json& node : value) {
    if (!node.is_string()) return std::nullopt;
    nodes.insert(node.get<std::string>());
  }
  return nodes;
}

// Applies a closing op (at `position`) to the open windows of its kind; false when it
// touched none of them.
bool repair(std::vector<FaultWindow>& windows, const FaultWindowKind* kind, const History& history, std::size_t position) {
  const json& value = history[position].value;
  const auto repaired_nodes = nodes_of(value);
  bool touched = false;
  for (FaultWindow& window : windows) {
    if (window.kind != kind || window.end) continue;
    if (window.faulty_nodes && repaired_nodes) {
      for (const std::string& node : *repaired_nodes) touched |= window.faulty_nodes->erase(node) > 0;
      if (window.faulty_nodes->empty()) window.end = position;
    } else if (history[window.start].value == value) {
      window.end = position;
      touched = true;
    }
  }
  return touched;
}

const FaultWindowKind* starting(const std::string& f) {
  for (const FaultWindowKind& kind : fault_window_kinds)
    if (kind.start_f == f) return &kind;
  return nullptr;
}


std::vector<FaultWindow> fault_windows(const History& history, std::set<std::string>& unknown_fs) {
  std::vector<FaultWindow> windows;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    if (!op.is_nemesis() || op.type == OpType::invoke || op.type == OpType::fail) continue;
    if (const FaultWindowKind* kind = starting(op.f)) {
      windows.push_back({kind, i, std::nullopt, nodes_of(op.value)});
      continue;
    }
    bool known = false;
    for (const FaultWindowKind& kind : fault_window_kinds) {
      if (kind.end_f == op.f) {
        known = true;
        // A list of nodes says exactly what was repaired; anything else (heal, null) that
        // matched no window repairs every fault of its kind.
        if (!repair(windows, &kind, history, i) && !nodes_of(op.value)) {
          for (FaultWindow& window : windows)
            if (window.kind == &kind && !window.end) window.end = i;
        }
      } else if (kind.also_end_f == op.f && nodes_of(op.value)) {
        repair(windows, &kind, history, i);
      }
    }
    if (!known) unknown_fs.insert(op.f);
  }
  return windows;
}

bool invoked_inside(const History& history, const FaultWindow& window, std::int64_t time_ns) {
  const std::int64_t end_ns = window.end ? history[*window.end].time_ns : std::numeric_limits<std::int64_t>::max();
  return time_ns >= history[window.start].time_ns && time_ns < end_ns;
}

}  // namespace

FaultsRepaired faults_repaired(const History& history) {
  std::set<std::string> unknown_fs;
  FaultsRepaired repaired;
  for (const FaultWindow& window : fault_windows(history, unknown_fs)) {
    repaired.any = true;
    if (!window.end) return {true, std::nullopt};
    const std::int64_t end_ns = history[*window.end].time_ns;
    repaired.last_repair_ns = std::max(repaired.last_repair_ns.value_or(end_ns), end_ns);
  }
  return repaired;
}

CheckResult check_availability(const History& history) {
  std::set<std::string> unknown_fs;
  const std::vector<FaultWindow> windows = fault_windows(history, unknown_fs);
  std::vector<OutcomeCounts> per_window(windows.size());
  OutcomeCounts inside, outside;
  const std::vector<ClientOpSpan> spans = client_op_spans(history);
  for (const ClientOpSpan& span : spans) {
    const std::int64_t time_ns = history[span.invoke].time_ns;
    bool in_any = false;
    for (std::size_t w = 0; w < windows.size(); ++w) {
      if (!invoked_inside(history, windows[w], time_ns)) continue;
      per_window[w].add(span.outcome, span.answered);
      in_any = true;
    }
    (in_any ? inside : outside).add(span.outcome, span.answered);
  }

  CheckResult result;
  AvailabilityResult found;
  found.inside = inside;
  found.outside = outside;
  for (std::size_t w = 0; w < windows.size() && w < availability_windows_listed_max; ++w) {
    const FaultWindow& window = windows[w];
    const Op& start = history[window.start];
    FaultWindowResult listed{std::string(window.kind->name), start.f, start.value, start.index, start.time_ns,
                             std::nullopt, std::nullopt, per_window[w]};
    if (window.end) {
      listed.end_index = history[*window.end].index;
      listed.end_time_ns = history[*window.end].time_ns;
    }
    found.windows.push_back(std::move(listed));
  }
  found.windows_count = windows.size();
  found.unknown_nemesis_fs.assign(unknown_fs.begin(), unknown_fs.end());
  if (spans.empty()) {
    result.verdict = Verdict::unknown;
    found.reason = "the history has no client operations";
  }
  result.details = found;
  return result;
}

}  // namespace faultline
