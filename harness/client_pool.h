// The workload's clients during a run: one thread per client slot, each acting as one
// logical process at a time, together held to the run's rate. Every invocation and
// completion goes to the history. After an `info` the process is retired (its outcome is
// unknown, so it may still be running) and a fresh process id takes the slot, with a fresh
// connection to the same node: Jepsen's rule, which the history validates. Slot s talks to
// node s mod N, so process p is on node (p mod clients) mod N.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "adapter/target.h"
#include "history_recorder.h"
#include "run_clock.h"
#include "workload.h"

namespace faultline {

struct ClientCounters {
  std::int64_t ok = 0, fail = 0, info = 0;
};

class ClientPool {
 public:
  // `random` seeds the generator's draws; it is used under the pool's lock only.
  ClientPool(Target& target, const Workload& workload, HistoryRecorder& recorder, const RunClock& clock, int clients,
             double rate_per_s, std::uint64_t seed);
  ~ClientPool();

  void start();
  // Asks every client to stop after its current operation, and waits for them.
  void stop();

  ClientCounters counters() const;
  // The first process id no client has used: for the final reads.
  std::int64_t next_free_process() const;

  // Runs one invocation as `process` against `client` (of `node`) and records both ends.
  // Shared with the final reads.
  static OpType perform_and_record(const Workload& workload, KvClient& client, const std::string& node,
                                   HistoryRecorder& recorder, std::int64_t process, const Invocation& invocation);

 private:
  void run_slot(int slot);

  Target& target_;
  const Workload& workload_;
  HistoryRecorder& recorder_;
  const RunClock& clock_;
  const int clients_;
  const double rate_per_s_;
  std::mutex generator_mutex_;
  std::unique_ptr<OpGenerator> generator_;
  std::mt19937_64 random_;
  std::atomic<std::int64_t> next_slot_{0};      // the rate's schedule: op k may start at k / rate
  std::atomic<std::int64_t> highest_process_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> ok_{0}, fail_{0}, info_{0};
  std::vector<std::thread> threads_;
};

}  // namespace faultline
