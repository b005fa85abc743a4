// The nemesis during a run: after the warm-up, one fault action every interval, chosen by the
// seeded planner (nemesis/nemesis_planner.h) among the possible ones and carried out on the
// target and its network; at the end of the fault phase, everything healed. Each action is a
// nemesis op pair (invoke, then info once it is in place) in the history, naming the nodes,
// links or clocks it touched.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapter/target.h"
#include "history_recorder.h"
#include "proxy/link_state.h"
#include "recorded_schedule.h"
#include "run_clock.h"

namespace faultline {

struct NemesisLoopOptions {
  std::vector<std::string> faults;  // kill, pause, partition, packet, clock, power-loss, corrupt; empty: no nemesis
  double start_s = 0;               // when the first fault may come (after the warm-up)
  double end_s = 0;                 // when everything is healed
  double interval_s = 5;
  int faulty_nodes_max = 1;         // nodes killed or paused at once
  std::uint64_t seed = 0;
  // partition: the shapes drawn (partition_planner.h names) and a grudge of the user's (JSON
  // text, or empty); the links to cut (null: neither partition nor packet may be among the faults).
  std::vector<std::string> partition_kinds;
  std::string partition_grudge;
  // packet: the behaviours drawn (delay, loss).
  std::vector<std::string> packet_behaviours;
  proxy::NetworkLinks* links = nullptr;
  // A replay: these actions at these times (before end_s) instead of drawn ones; then, at end_s,
  // everything healed as usual.
  std::optional<std::vector<TimedAction>> schedule;
};

class NemesisLoop {
 public:
  // Options must be valid (validate_nemesis_loop_options); asserted.
  NemesisLoop(Target& target, HistoryRecorder& recorder, const RunClock& clock, NemesisLoopOptions options);
  ~NemesisLoop();

  void start();
  // Ends the loop early (interrupt), healing what is in place.
  void stop();
  // Waits until the loop has healed everything at end_s (or was stopped).
  void join();

  // "kill n2", "partition n1 | n2 n3": the faults in place now, for the progress line.
  std::vector<std::string> active_faults() const;

 private:
  struct State;
  void run();

  Target& target_;
  HistoryRecorder& recorder_;
  const RunClock& clock_;
  NemesisLoopOptions options_;
  std::unique_ptr<State> state_;
  mutable std::mutex mutex_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// What is wrong with the nemesis part of a run (a grudge naming unknown nodes, a shape that
// needs more nodes), for the user; empty when usable.
std::string validate_nemesis_loop_options(const NemesisLoopOptions& options, const std::vector<std::string>& nodes);

}  // namespace faultline
