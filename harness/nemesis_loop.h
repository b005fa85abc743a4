// The nemesis during a run: after the warm-up, one fault action every interval, chosen by the
// seeded planner among the possible ones and carried out on the target; at the end of the
// fault phase, everything healed. Each action is a nemesis op pair (invoke, then info once
// it is in place) in the history, naming the nodes.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapter/target.h"
#include "history_recorder.h"
#include "run_clock.h"

namespace faultline {

struct NemesisLoopOptions {
  std::vector<std::string> faults;  // kill, pause; empty: no nemesis
  double start_s = 0;               // when the first fault may come (after the warm-up)
  double end_s = 0;                 // when everything is healed
  double interval_s = 5;
  int faulty_nodes_max = 1;         // nodes faulty at once
  std::uint64_t seed = 0;
};

class NemesisLoop {
 public:
  NemesisLoop(Target& target, HistoryRecorder& recorder, const RunClock& clock, NemesisLoopOptions options);
  ~NemesisLoop();

  void start();
  // Ends the loop early (interrupt), healing what is in place.
  void stop();
  // Waits until the loop has healed everything at end_s (or was stopped).
  void join();

  // "kill n2", "pause n1": the faults in place now, for the progress line.
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

}  // namespace faultline
