// What clients do (STYLE: workloads/ = a generator of operations + a client that performs
// them + the checkers that fit them). The harness runs a workload; it never needs to know
// which one.
#pragma once

#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "adapter/kv_client.h"
#include "history/history.h"
#include "verdict.h"

namespace faultline {

// An operation to invoke: what goes into the history's invoke op (the harness adds index,
// time and process).
struct Invocation {
  std::string f;
  std::optional<std::string> key;
  nlohmann::json value;
};

// The operations of a workload, drawn from one seeded random source. Pure: no clock, no I/O.
// Not thread-safe: the harness draws under a lock, so that a seed gives one sequence.
class OpGenerator {
 public:
  virtual ~OpGenerator() = default;
  virtual Invocation next(std::mt19937_64& random) = 0;
};

struct NamedResult {
  std::string checker;  // "linearizability", "set", ...
  CheckResult result;
};

// Runs one step of a drawn op as an op of its own in the history: records `step`'s invocation,
// calls `perform`, records its completion, and returns the outcome.
using StepRunner = std::function<ClientOutcome(const Invocation& step, const std::function<ClientOutcome()>& perform)>;

class Workload {
 public:
  virtual ~Workload() = default;
  virtual std::string name() const = 0;
  virtual std::unique_ptr<OpGenerator> generator() const = 0;
  // Performs `op` through `client` and says how it ended (a set add may take several requests).
  // An ok outcome's value is the completion's value when it is not null (what a read read);
  // otherwise the completion repeats the invocation's value. An op the workload cannot
  // perform (a function it does not know) is a fail that sent nothing.
  virtual ClientOutcome perform(KvClient& client, const Invocation& op) const = 0;
  // Whether `op` is several steps that others must see in the history (the lock workload's
  // add: acquire, add, release), performed by perform_steps instead of perform.
  virtual bool performs_steps(const Invocation& op) const { return false; }
  // Performs each step through `run_step`, which records it. Stops at the first step whose
  // outcome is unknown and returns info then (the process must retire); otherwise returns the
  // outcome that counts for the drawn op.
  virtual ClientOutcome perform_steps(KvClient& client, const Invocation& op, const StepRunner& run_step) const {
    return run_step(op, [&] { return perform(client, op); });
  }
  // Operations to run once against every node after the recovery period: final reads (of
  // every key for register and kv; of every shard for set).
  virtual std::vector<Invocation> final_ops() const = 0;
  // What it asks of a target's clients (read, write, cas): a target that cannot do one of
  // these is refused before the run starts.
  virtual std::vector<std::string> operations_used() const = 0;
  // The checkers that fit this workload, over the finished history.
  virtual std::vector<NamedResult> check(const History& history) const = 0;
  // For test.json and reports.
  virtual nlohmann::json describe() const = 0;
};

struct WorkloadOptions {
  std::string name = "register";  // register | kv | set | lock | list-append
  int keys = 10;                  // kv: how many keys
  int values = 5;                 // register, kv: values written are 0..values-1
  bool cas = true;                // register, kv: false: reads and writes only
  std::string lock_fencing = "none";  // lock: none (plain write under the lock) | token (fenced write)
  std::string consistency = "strict-serializable";  // list-append: the model the target claims (Elle's names)
  // register, kv: the linearizability search's budget; past it the verdict is unknown.
  // 0: no limit.
  double check_time_limit_s = 0;
};

// Named limits on the options: each key is a register the checker searches separately, and
// the checker's search grows with the values a register can hold.
inline constexpr int workload_keys_max = 100'000;
inline constexpr int workload_values_max = 1'000;
inline constexpr int workload_check_time_limit_s_max = 7 * 24 * 3600;  // a week: longer is a typo

// The workload named in `options`, or a message saying what is wrong with them: an unknown
// name (the message lists the valid ones), keys outside 1..workload_keys_max, values outside
// 2..workload_values_max, a check time limit outside 0..workload_check_time_limit_s_max
// (checked whatever the workload, so a bad flag never goes unnoticed).
std::expected<std::unique_ptr<Workload>, std::string> make_workload(const WorkloadOptions& options);

// The workload names, for --help and validation.
std::vector<std::string> workload_names();

}  // namespace faultline
