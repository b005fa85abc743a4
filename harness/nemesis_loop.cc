#include "nemesis_loop.h"

#include <algorithm>
#include <random>

#include "interrupt.h"
#include "process_applier.h"
#include "process_planner.h"

namespace faultline {

struct NemesisLoop::State {
  ProcessPlannerOptions planner;
  ProcessFaultState faults;
  std::mt19937_64 random;
};

NemesisLoop::NemesisLoop(Target& target, HistoryRecorder& recorder, const RunClock& clock, NemesisLoopOptions options)
    : target_(target), recorder_(recorder), clock_(clock), options_(std::move(options)), state_(std::make_unique<State>()) {
  auto enabled = [&](const char* name) {
    return std::find(options_.faults.begin(), options_.faults.end(), name) != options_.faults.end();
  };
  state_->planner.nodes = target_.node_ids();
  state_->planner.kill_enabled = enabled("kill");
  state_->planner.pause_enabled = enabled("pause");
  state_->planner.faulty_nodes_max = options_.faulty_nodes_max;
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
  std::vector<std::string> text;
  for (const Fault& fault : faultline::active_faults(state_->faults)) text.push_back(describe(fault));
  return text;
}

namespace {

// Records the fault's invocation, carries it out, and records that it is in place (info,
// with the error when it could not be done completely).
void record_and_apply(Target& target, HistoryRecorder& recorder, const Fault& fault) {
  Op invoke;
  invoke.process = nemesis_process;
  invoke.type = OpType::invoke;
  invoke.f = std::string(fault_name(fault.kind));
  invoke.value = fault_value(fault);
  recorder.record(invoke);
  const TargetResult<void> applied = apply_process_fault(target, fault);
  Op done = invoke;
  done.type = OpType::info;
  if (!applied) done.error = applied.error().message;
  recorder.record(done);
}

}  // namespace

void NemesisLoop::run() {
  const std::atomic<bool>& stop = stopping_;
  double next_s = options_.start_s;
  while (next_s < options_.end_s && sleep_until(clock_.at(next_s), stop)) {
    std::optional<Fault> fault;
    {
      std::lock_guard lock(mutex_);
      fault = next_fault(state_->faults, state_->planner, state_->random);
    }
    if (fault) {
      record_and_apply(target_, recorder_, *fault);
      std::lock_guard lock(mutex_);
      state_->faults = state_after(state_->faults, *fault);
    }
    next_s += options_.interval_s;
  }
  // Interrupted: the target's stop_all resumes and stops every node; restarting the killed
  // ones first would only delay the way out.
  if (stopping_ || interrupt_requested()) return;
  sleep_until(clock_.at(options_.end_s), stop);
  std::vector<Fault> heal;
  {
    std::lock_guard lock(mutex_);
    heal = heal_all(state_->faults);
  }
  for (const Fault& fault : heal) {
    record_and_apply(target_, recorder_, fault);
    std::lock_guard lock(mutex_);
    state_->faults = state_after(state_->faults, fault);
  }
}

}  // namespace faultline
