// A recorded run's fault schedule, read back from its history: every nemesis action with the
// time it was invoked, as the nemesis planner made it (nemesis_planner.h). The first step of
// replay (issue 21): a replay applies these actions at these times instead of drawing them.
//
// The history holds each action as a nemesis invocation whose f and value are action_name and
// action_value; a heal ("stop-partition", "stop-packet": value "healed") is the heal of the
// fault in place, which the reader tracks. Errors name the op index and what is wrong.
#pragma once

#include <expected>
#include <string>
#include <vector>

#include "history/history.h"
#include "nemesis_planner.h"

namespace faultline {

struct TimedAction {
  double at_s = 0;  // seconds since the run began, when the action was invoked
  NemesisAction action;
  bool operator==(const TimedAction&) const = default;
};

// The action a nemesis invocation records, given the partition and packet fault in place;
// an error (for people) when `f` and `value` are no action the nemesis makes.
std::expected<NemesisAction, std::string> recorded_action(const std::string& f, const nlohmann::json& value,
                                                          const std::optional<Partition>& partition_in_place,
                                                          const std::optional<PacketFault>& packet_in_place);

// Every nemesis invocation of `history`, in order.
std::expected<std::vector<TimedAction>, std::string> recorded_schedule(const History& history);

// The schedule recorded in a JSONL history file; errors name the file (and the line or op).
std::expected<std::vector<TimedAction>, std::string> read_recorded_schedule(const std::string& history_file);

// The nemesis ops that record `schedule` (an invocation at each action's time, its info 1 ms
// later): a history that recorded_schedule reads back as `schedule`.
std::vector<Op> schedule_ops(const std::vector<TimedAction>& schedule);

}  // namespace faultline
