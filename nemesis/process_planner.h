// The process nemesis's plan: which node to kill, pause, restart or resume next. Pure and
// seeded (STYLE principles 7, 8): no target, no clock; the same seed and state give the same
// fault. Only possible faults get weight: no restart when nothing is killed, no resume when
// nothing is paused, no new kill or pause once the budget of faulty nodes is used.
//
// A node is healthy, killed or paused; kill, pause and power-loss pick among healthy nodes
// only. A power loss is a kill whose node also loses its un-fsynced writes (fault.h): the node
// counts as killed, and restart brings it back too. A corrupt is a kill of one node whose
// data files are then damaged (its plan drawn by corruption_planner.h); one node at a time:
// none while another's corruption is in place. Over the run no more distinct nodes are
// corrupted than the budget of faulty nodes (a minority by default): a node whose acknowledged
// state is damaged may stay out for good (the bundled node does), and a system need only
// survive the loss of a minority; once the budget is used, the nodes already damaged are
// damaged again. Restart brings back every killed node and
// resume every paused one, so each fault window closes at once.
#pragma once

#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "fault.h"

namespace faultline {

struct ProcessFaultState {
  std::set<std::string> killed;
  std::set<std::string> paused;
  std::set<std::string> power_lost = {};  // the killed nodes whose kill was a power loss
  std::set<std::string> corrupted = {};   // the killed nodes whose files were corrupted
  std::set<std::string> ever_corrupted = {};  // every node corrupted so far in the run

  std::size_t faulty() const { return killed.size() + paused.size(); }
  bool healthy(const std::string& node) const { return !killed.contains(node) && !paused.contains(node); }
  bool operator==(const ProcessFaultState&) const = default;
};

// Relative chances of the possible faults. Equal weights alternate faults and heals evenly.
struct ProcessFaultWeights {
  int kill = 1;
  int restart = 1;
  int pause = 1;
  int resume = 1;
  int power_loss = 1;
  int corrupt = 1;
};

struct ProcessPlannerOptions {
  std::vector<std::string> nodes;
  bool kill_enabled = true;
  bool pause_enabled = true;
  bool power_loss_enabled = false;  // the target's data directories sit on faultline-lazyfs
  bool corrupt_enabled = false;     // the harness can reach the target's data files
  // How many nodes may be killed or paused at once. Default: a minority, floor((N-1)/2),
  // but at least 1, so a majority stays up and the system can stay available.
  std::optional<int> faulty_nodes_max;
  ProcessFaultWeights weights;
};

// What is wrong with `options` (no nodes, a node twice, a budget outside 1..N, a negative
// weight), for the user; empty when usable.
std::string validate_process_planner_options(const ProcessPlannerOptions& options);

// The budget in effect: options.faulty_nodes_max, or the default minority.
int faulty_nodes_max(const ProcessPlannerOptions& options);

// The next fault, drawn by weight among the possible ones; nullopt when none is possible
// (no fault enabled and nothing to heal). `options` must be valid.
std::optional<Fault> next_fault(const ProcessFaultState& state, const ProcessPlannerOptions& options,
                                std::mt19937_64& random);

// The state once `fault` is carried out. The fault must be possible in `state` (kill and
// pause of healthy nodes, restart of killed ones, resume of paused ones): anything else is
// a programmer error and asserts.
ProcessFaultState state_after(ProcessFaultState state, const Fault& fault);

// The faults that undo everything in `state`: resume the paused nodes, restart the killed
// ones. Empty when nothing is faulty.
std::vector<Fault> heal_all(const ProcessFaultState& state);

// The faults in place, as the faults that began them: kill of the killed nodes, pause of the
// paused ones, power-loss of those that lost power, corrupt of the corrupted (for progress lines).
std::vector<Fault> active_faults(const ProcessFaultState& state);

}  // namespace faultline
