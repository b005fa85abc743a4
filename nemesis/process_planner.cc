#include "process_planner.h"

#include <algorithm>
#include <cassert>
#include <cstdint>

#include "../workloads/random_choice.h"
#include "corruption_planner.h"

namespace faultline {

namespace {

std::vector<std::string> healthy_nodes(const ProcessFaultState& state, const ProcessPlannerOptions& options) {
  std::vector<std::string> healthy;
  for (const std::string& node : options.nodes)
    if (state.healthy(node)) healthy.push_back(node);
  return healthy;
}

}  // namespace

std::string validate_process_planner_options(const ProcessPlannerOptions& options) {
  if (options.nodes.empty()) return "the process nemesis needs at least one node";
  const std::set<std::string> distinct(options.nodes.begin(), options.nodes.end());
  if (distinct.size() != options.nodes.size()) return "the process nemesis was given a node twice";
  const int n = static_cast<int>(options.nodes.size());
  if (options.faulty_nodes_max && (*options.faulty_nodes_max < 1 || *options.faulty_nodes_max > n))
    return "faulty nodes at most: " + std::to_string(*options.faulty_nodes_max) + " is not from 1 to the " +
           std::to_string(n) + " nodes";
  const ProcessFaultWeights& w = options.weights;
  if (w.kill < 0 || w.restart < 0 || w.pause < 0 || w.resume < 0 || w.power_loss < 0 || w.corrupt < 0) return "fault weights must not be negative";
  if ((options.kill_enabled && (w.kill == 0 || w.restart == 0)) ||
      (options.pause_enabled && (w.pause == 0 || w.resume == 0)) ||
      (options.power_loss_enabled && (w.power_loss == 0 || w.restart == 0)) ||
      (options.corrupt_enabled && (w.corrupt == 0 || w.restart == 0)))
    return "an enabled fault and its heal must both have a positive weight";
  return "";
}

int faulty_nodes_max(const ProcessPlannerOptions& options) {
  const int n = static_cast<int>(options.nodes.size());
  return options.faulty_nodes_max.value_or(std::max(1, (n - 1) / 2));
}

std::optional<Fault> next_fault(const ProcessFaultState& state, const ProcessPlannerOptions& options,
                                std::mt19937_64& random) {
  assert(validate_process_planner_options(options).empty());
  const std::vector<std::string> healthy = healthy_nodes(state, options);
  const int budget = faulty_nodes_max(options);
  const std::size_t budget_left = state.faulty() < static_cast<std::size_t>(budget) ? budget - state.faulty() : 0;
  const bool can_fault = budget_left > 0 && !healthy.empty();

  std::vector<Weighted<FaultKind>> possible;
  if (options.kill_enabled && can_fault) possible.push_back({FaultKind::kill, options.weights.kill});
  if (!state.killed.empty()) possible.push_back({FaultKind::restart, options.weights.restart});
  if (options.pause_enabled && can_fault) possible.push_back({FaultKind::pause, options.weights.pause});
  if (!state.paused.empty()) possible.push_back({FaultKind::resume, options.weights.resume});
  if (options.power_loss_enabled && can_fault) possible.push_back({FaultKind::power_loss, options.weights.power_loss});
  std::vector<std::string> corruptible;
  for (const std::string& node : healthy)
    if (state.ever_corrupted.size() < static_cast<std::size_t>(budget) || state.ever_corrupted.contains(node))
      corruptible.push_back(node);
  if (options.corrupt_enabled && can_fault && state.corrupted.empty() && !corruptible.empty())
    possible.push_back({FaultKind::corrupt, options.weights.corrupt});
  const std::optional<FaultKind> chosen = choose_weighted(random, possible);
  if (!chosen) return std::nullopt;
  const FaultKind kind = *chosen;

  switch (kind) {
    case FaultKind::kill:
    case FaultKind::pause:
    case FaultKind::power_loss:
      return Fault{kind, choose_some(random, healthy, budget_left), std::nullopt};
    case FaultKind::corrupt: {
      std::vector<std::string> node = choose_some(random, corruptible, 1);
      return Fault{kind, std::move(node), next_file_corruption(random)};
    }
    case FaultKind::restart:
      return Fault{kind, {state.killed.begin(), state.killed.end()}, std::nullopt};
    case FaultKind::resume:
      return Fault{kind, {state.paused.begin(), state.paused.end()}, std::nullopt};
  }
  return std::nullopt;
}

ProcessFaultState state_after(ProcessFaultState state, const Fault& fault) {
  for (const std::string& node : fault.nodes) {
    switch (fault.kind) {
      case FaultKind::kill:
        assert(state.healthy(node) && "kill of a node that is already down or paused");
        state.killed.insert(node);
        break;
      case FaultKind::pause:
        assert(state.healthy(node) && "pause of a node that is already down or paused");
        state.paused.insert(node);
        break;
      case FaultKind::power_loss:
        assert(state.healthy(node) && "power loss of a node that is already down or paused");
        state.killed.insert(node);
        state.power_lost.insert(node);
        break;
      case FaultKind::corrupt:
        assert(state.healthy(node) && "corrupt of a node that is already down or paused");
        state.killed.insert(node);
        state.corrupted.insert(node);
        state.ever_corrupted.insert(node);
        break;
      case FaultKind::restart:
        assert(state.killed.contains(node) && "restart of a node that was not killed");
        state.killed.erase(node);
        state.power_lost.erase(node);
        state.corrupted.erase(node);
        break;
      case FaultKind::resume:
        assert(state.paused.contains(node) && "resume of a node that was not paused");
        state.paused.erase(node);
        break;
    }
  }
  return state;
}

std::vector<Fault> heal_all(const ProcessFaultState& state) {
  std::vector<Fault> heals;
  if (!state.paused.empty()) heals.push_back({FaultKind::resume, {state.paused.begin(), state.paused.end()}});
  if (!state.killed.empty()) heals.push_back({FaultKind::restart, {state.killed.begin(), state.killed.end()}});
  return heals;
}

std::vector<Fault> active_faults(const ProcessFaultState& state) {
  std::vector<Fault> active;
  std::vector<std::string> killed;
  for (const std::string& node : state.killed)
    if (!state.power_lost.contains(node) && !state.corrupted.contains(node)) killed.push_back(node);
  if (!killed.empty()) active.push_back({FaultKind::kill, killed});
  if (!state.power_lost.empty())
    active.push_back({FaultKind::power_loss, {state.power_lost.begin(), state.power_lost.end()}});
  if (!state.corrupted.empty()) active.push_back({FaultKind::corrupt, {state.corrupted.begin(), state.corrupted.end()}});
  if (!state.paused.empty()) active.push_back({FaultKind::pause, {state.paused.begin(), state.paused.end()}});
  return active;
}

}  // namespace faultline
