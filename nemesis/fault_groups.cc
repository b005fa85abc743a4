#include "fault_groups.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <numeric>
#include <optional>

namespace faultline {
namespace {

// Union-find over action indices; a root is its group's smallest index.
class Groups {
 public:
  explicit Groups(std::size_t size) : parent_(size) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t root(std::size_t at) {
    while (parent_[at] != at) at = parent_[at] = parent_[parent_[at]];
    return at;
  }
  void join(std::size_t a, std::size_t b) {
    a = root(a);
    b = root(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

// What is in place while the schedule is read, by the index of the action that began it.
struct OpenFaults {
  std::map<std::string, std::size_t> process;               // node -> its kill or pause
  std::map<std::string, std::vector<std::size_t>> clocks;   // node -> its bumps and strobes
  std::optional<std::size_t> partition, packet;
};

void link(const TimedAction& timed, std::size_t at, OpenFaults& open, Groups& groups) {
  if (const auto* fault = std::get_if<Fault>(&timed.action)) {
    const bool begins = begins_window(fault->kind);
    for (const std::string& node : fault->nodes) {
      if (begins) {
        open.process[node] = at;
      } else if (auto found = open.process.find(node); found != open.process.end()) {
        groups.join(at, found->second);
        open.process.erase(found);
      }
    }
  } else if (const auto* change = std::get_if<PartitionChange>(&timed.action)) {
    if (change->start) {
      open.partition = at;
    } else if (open.partition) {
      groups.join(at, *open.partition);
      open.partition.reset();
    }
  } else if (const auto* change = std::get_if<PacketChange>(&timed.action)) {
    if (change->start) {
      open.packet = at;
    } else if (open.packet) {
      groups.join(at, *open.packet);
      open.packet.reset();
    }
  } else if (const auto* clock = std::get_if<ClockFault>(&timed.action)) {
    for (const auto& [node, delta] : clock->deltas_ms) {
      std::vector<std::size_t>& shifts = open.clocks[node];
      if (clock->kind != ClockFaultKind::reset) {
        shifts.push_back(at);
        continue;
      }
      for (std::size_t shift : shifts) groups.join(at, shift);
      shifts.clear();
    }
  }
}

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

}  // namespace

std::vector<FaultGroup> fault_groups(const std::vector<TimedAction>& schedule) {
  Groups groups(schedule.size());
  OpenFaults open;
  for (std::size_t at = 0; at < schedule.size(); ++at) link(schedule[at], at, open, groups);
  std::map<std::size_t, FaultGroup> by_root;
  for (std::size_t at = 0; at < schedule.size(); ++at) by_root[groups.root(at)].push_back(at);
  std::vector<FaultGroup> out;
  for (auto& [root, group] : by_root) out.push_back(std::move(group));
  return out;
}

std::vector<TimedAction> schedule_of(const std::vector<TimedAction>& schedule, const std::vector<FaultGroup>& groups) {
  std::vector<std::size_t> indices;
  for (const FaultGroup& group : groups) indices.insert(indices.end(), group.begin(), group.end());
  std::sort(indices.begin(), indices.end());
  std::vector<TimedAction> out;
  for (std::size_t at : indices) out.push_back(schedule[at]);
  return out;
}

std::string describe_fault(const std::vector<TimedAction>& schedule, const FaultGroup& group) {
  std::string text;
  for (std::size_t at : group)
    text += (text.empty() ? "" : ", ") + describe(schedule[at].action) + " at " + seconds_text(schedule[at].at_s);
  return text;
}

}  // namespace faultline
