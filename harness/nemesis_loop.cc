#include "nemesis_loop.h"

#include <algorithm>
#include <cassert>
#include <expected>
#include <random>

#include "interrupt.h"
#include "nemesis_applier.h"
#include "nemesis_planner.h"

namespace faultline {

namespace {

bool enabled(const NemesisLoopOptions& options, const char* fault) {
  return std::find(options.faults.begin(), options.faults.end(), fault) != options.faults.end();
}

std::expected<NemesisPlannerOptions, std::string> planner_options(const NemesisLoopOptions& options,
                                                                  const std::vector<std::string>& nodes) {
  NemesisPlannerOptions planner;
  if (enabled(options, "kill") || enabled(options, "pause") || enabled(options, "power-loss") ||
      enabled(options, "corrupt")) {
    ProcessPlannerOptions processes;
    processes.nodes = nodes;
    processes.kill_enabled = enabled(options, "kill");
    processes.pause_enabled = enabled(options, "pause");
    processes.power_loss_enabled = enabled(options, "power-loss");
    processes.corrupt_enabled = enabled(options, "corrupt");
    processes.faulty_nodes_max = options.faulty_nodes_max;
    planner.processes = processes;
  }
  if (enabled(options, "partition")) {
    PartitionPlannerOptions partitions;
    partitions.nodes = nodes;
    PartitionWeights& w = partitions.weights;
    w = {0, 0, 0, 0, 0, 0};
    for (const std::string& name : options.partition_kinds) {
      const std::optional<PartitionKind> kind = parse_drawn_partition_kind(name);
      if (!kind) return std::unexpected("unknown partition shape '" + name + "'");
      w.of(*kind) = 1;
    }
    if (!options.partition_grudge.empty()) {
      const nlohmann::json text = nlohmann::json::parse(options.partition_grudge, nullptr, false);
      auto grudge = parse_grudge(text, nodes);
      if (!grudge) return std::unexpected("the partition grudge: " + grudge.error());
      partitions.configured_grudge = *grudge;
      w.configured = 1;
    }
    planner.partitions = partitions;
  }
  if (enabled(options, "packet")) {
    PacketPlannerOptions packets;
    packets.nodes = nodes;
    packets.behaviours.clear();
    for (const std::string& name : options.packet_behaviours) {
      const std::optional<PacketBehaviour> behaviour = parse_packet_behaviour(name);
      if (!behaviour) return std::unexpected("unknown packet behaviour '" + name + "'");
      packets.behaviours.push_back(*behaviour);
    }
    planner.packets = packets;
  }
  if (enabled(options, "clock")) {
    ClockPlannerOptions clocks;
    clocks.nodes = nodes;
    planner.clocks = clocks;
  }
  if (std::string problem = validate_nemesis_planner_options(planner); !problem.empty())
    return std::unexpected(problem);
  return planner;
}

}  // namespace

std::string validate_nemesis_loop_options(const NemesisLoopOptions& options, const std::vector<std::string>& nodes) {
  auto planner = planner_options(options, nodes);
  return planner ? "" : planner.error();
}

struct NemesisLoop::State {
  NemesisPlannerOptions planner;
  NemesisState faults;
  std::mt19937_64 random;
  std::vector<std::string> nodes;
};

NemesisLoop::NemesisLoop(Target& target, HistoryRecorder& recorder, const RunClock& clock, NemesisLoopOptions options)
    : target_(target), recorder_(recorder), clock_(clock), options_(std::move(options)), state_(std::make_unique<State>()) {
  state_->nodes = target_.node_ids();
  auto planner = planner_options(options_, state_->nodes);
  assert(planner && "validate_nemesis_loop_options first");
  state_->planner = *planner;
  assert(((!state_->planner.partitions && !state_->planner.packets) || options_.links != nullptr) &&
         "partitions and packet faults need the network's links");
  state_->random.seed(options_.seed);
}

NemesisLoop::~NemesisLoop() {
  stop();
  join();
}

void NemesisLoop::start() {
  if (options_.faults.empty()) return;
  thread_ = std::thread([this] { run(); });
}

void NemesisLoop::stop() { stopping_ = true; }

void NemesisLoop::join() {
  if (thread_.joinable()) thread_.join();
}

std::vector<std::string> NemesisLoop::active_faults() const {
  std::lock_guard lock(mutex_);
  return describe_active(state_->faults);
}

void NemesisLoop::run() {
  const std::atomic<bool>& stop = stopping_;
  NemesisEnvironment environment{target_, options_.links, state_->nodes, [&stop](std::int64_t wait_ms) {
                                   return sleep_until(RunClock::Clock::now() + std::chrono::milliseconds(wait_ms), stop);
                                 }};
  // Records the action's invocation, carries it out, and records that it is in place (info,
  // with the error when it could not be done completely); then the state moves on.
  auto record_and_apply = [&](const NemesisAction& action) {
    NemesisState before;
    {
      std::lock_guard lock(mutex_);
      before = state_->faults;
    }
    Op invoke;
    invoke.process = nemesis_process;
    invoke.type = OpType::invoke;
    invoke.f = std::string(action_name(action));
    invoke.value = action_value(action);
    recorder_.record(invoke);
    nlohmann::json detail;
    const TargetResult<void> applied = apply_nemesis_action(environment, before, action, &detail);
    Op done = invoke;
    done.type = OpType::info;
    // A corrupt's completion also says which file and bytes its plan came to ({node: {plan...,
    // "done": {...}}}); replay reads the plan from the invocation.
    if (detail.is_object() && done.value.is_object())
      for (const auto& [node, what] : detail.items())
        if (done.value.contains(node) && done.value[node].is_object()) done.value[node]["done"] = what;
    if (!applied) done.error = applied.error().message;
    recorder_.record(done);
    std::lock_guard lock(mutex_);
    state_->faults = state_after(state_->faults, action);
  };

  if (options_.schedule) {
    for (const TimedAction& timed : *options_.schedule) {
      if (timed.at_s >= options_.end_s || !sleep_until(clock_.at(timed.at_s), stop)) break;
      record_and_apply(timed.action);
    }
  }
  double next_s = options_.schedule ? options_.end_s : options_.start_s;
  while (next_s < options_.end_s && sleep_until(clock_.at(next_s), stop)) {
    std::optional<NemesisAction> action;
    {
      std::lock_guard lock(mutex_);
      action = next_nemesis_action(state_->faults, state_->planner, state_->random);
    }
    if (action) record_and_apply(*action);
    next_s += options_.interval_s;
  }
  // Interrupted: the target's stop_all resumes and stops every node, and the network goes
  // with the run; healing first would only delay the way out.
  if (stopping_ || interrupt_requested()) return;
  sleep_until(clock_.at(options_.end_s), stop);
  std::vector<NemesisAction> heal;
  {
    std::lock_guard lock(mutex_);
    heal = heal_everything(state_->faults);
  }
  for (const NemesisAction& action : heal) record_and_apply(action);
}

}  // namespace faultline
