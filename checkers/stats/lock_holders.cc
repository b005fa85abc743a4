#include "lock_holders.h"

#include <algorithm>
#include <map>
#include <vector>

namespace faultline {
namespace {

struct Hold {
  std::int64_t process;
  std::int64_t from_ns, to_ns;
  std::int64_t acquire_index;
};

}  // namespace

CheckResult check_lock_holders(const History& history) {
  std::vector<Hold> holds;
  std::map<std::int64_t, std::size_t> open;        // process -> its hold in `holds`
  std::map<std::int64_t, std::int64_t> last_seen;  // process -> time of its last op
  for (const Op& op : history.ops()) {
    if (op.is_nemesis()) continue;
    last_seen[op.process] = op.time_ns;
    if (op.f == "acquire" && op.type == OpType::ok) {
      open[op.process] = holds.size();
      holds.push_back({op.process, op.time_ns, -1, op.index});
    } else if (op.f == "release" && op.type == OpType::invoke) {
      if (auto it = open.find(op.process); it != open.end()) {
        holds[it->second].to_ns = op.time_ns;
        open.erase(it);
      }
    }
  }
  for (const auto& [process, at] : open) holds[at].to_ns = last_seen[process];
  if (holds.empty()) return {Verdict::unknown, {{"sections", 0}, {"reason", "no lock was acquired"}}};

  std::sort(holds.begin(), holds.end(), [](const Hold& a, const Hold& b) { return a.from_ns < b.from_ns; });
  std::vector<bool> overlapping(holds.size(), false);
  nlohmann::json overlaps = nlohmann::json::array();
  std::size_t overlap_pairs = 0;
  for (std::size_t i = 0; i < holds.size(); ++i)
    for (std::size_t j = i + 1; j < holds.size() && holds[j].from_ns < holds[i].to_ns; ++j) {
      overlapping[i] = overlapping[j] = true;
      ++overlap_pairs;
      if (overlaps.size() < lock_overlaps_listed_max)
        overlaps.push_back({{"processes", {holds[i].process, holds[j].process}},
                            {"acquire_indexes", {holds[i].acquire_index, holds[j].acquire_index}},
                            {"both_from_ns", holds[j].from_ns},
                            {"both_to_ns", std::min(holds[i].to_ns, holds[j].to_ns)}});
    }
  // The most holders at one moment: a sweep over starts and ends.
  std::vector<std::pair<std::int64_t, int>> events;
  for (const Hold& hold : holds) events.push_back({hold.from_ns, +1}), events.push_back({hold.to_ns, -1});
  std::sort(events.begin(), events.end());  // at a tie, an end (-1) comes before a start
  int holders = 0, holders_max = 0;
  for (const auto& [time, change] : events) holders_max = std::max(holders_max, holders += change);

  const auto overlapping_count = std::count(overlapping.begin(), overlapping.end(), true);
  std::string reason = std::to_string(overlapping_count) + " of " + std::to_string(holds.size()) +
                       " critical sections overlapped another";
  if (overlap_pairs > 0) reason += " (" + std::to_string(overlap_pairs) + " pairs; at most " + std::to_string(holders_max) + " holders at once)";
  return {Verdict::valid,
          {{"sections", holds.size()},
           {"overlapping_sections", overlapping_count},
           {"overlap_pairs", overlap_pairs},
           {"holders_max", holders_max},
           {"overlaps", overlaps},
           {"reason", reason}}};
}

}  // namespace faultline
