#include "client_pool.h"

#include <algorithm>
#include <exception>
#include <functional>

namespace faultline {
namespace {

// A client that fell behind the schedule does not burst to catch up by more than this.
constexpr double schedule_lag_s_max = 1.0;

}  // namespace

ClientPool::ClientPool(Target& target, const Workload& workload, HistoryRecorder& recorder, const RunClock& clock,
                       int clients, double rate_per_s, std::uint64_t seed)
    : target_(target),
      workload_(workload),
      recorder_(recorder),
      clock_(clock),
      clients_(clients),
      rate_per_s_(rate_per_s),
      generator_(workload.generator()),
      random_(seed),
      highest_process_(clients - 1) {}

ClientPool::~ClientPool() { stop(); }

void ClientPool::start() {
  for (int slot = 0; slot < clients_; ++slot) threads_.emplace_back([this, slot] { run_slot(slot); });
}

void ClientPool::stop() {
  stopping_ = true;
  for (std::thread& thread : threads_)
    if (thread.joinable()) thread.join();
  threads_.clear();
}

ClientCounters ClientPool::counters() const { return {ok_.load(), fail_.load(), info_.load()}; }

std::int64_t ClientPool::next_free_process() const { return highest_process_.load() + 1; }

namespace {

// Records `invocation` as `process`, performs it, and records how it ended.
ClientOutcome record_step(HistoryRecorder& recorder, std::int64_t process, const std::string& node,
                          const Invocation& invocation, const std::function<ClientOutcome()>& perform) {
  Op invoke;
  invoke.process = process;
  invoke.node = node;
  invoke.type = OpType::invoke;
  invoke.f = invocation.f;
  invoke.key = invocation.key;
  invoke.value = invocation.value;
  recorder.record(invoke);
  ClientOutcome outcome;
  try {
    outcome = perform();
  } catch (const std::exception& error) {
    // An answer the client could not handle (a stored value of the wrong type, say): the
    // request may have taken effect, so unknown, and the run goes on.
    outcome = {OpType::info, nullptr, std::string("the client failed: ") + error.what(), ""};
  }
  Op completion = invoke;
  completion.type = outcome.type;
  // An ok read carries what it read; everything else repeats its argument (Jepsen's habit),
  // which is what a checker needs of a write or cas whose outcome is unknown.
  if (outcome.type == OpType::ok && !outcome.value.is_null()) completion.value = outcome.value;
  else if (outcome.type == OpType::ok && invocation.f == "read") completion.value = nullptr;
  if (outcome.type != OpType::ok && !outcome.error.empty()) completion.error = outcome.error;
  if (outcome.type != OpType::ok && !outcome.answer.empty()) completion.answer = outcome.answer;
  recorder.record(completion);
  return outcome;
}

}  // namespace

OpType ClientPool::perform_and_record(const Workload& workload, KvClient& client, const std::string& node,
                                      HistoryRecorder& recorder, std::int64_t process, const Invocation& invocation) {
  if (workload.performs_steps(invocation)) {
    const StepRunner run_step = [&](const Invocation& step, const std::function<ClientOutcome()>& perform) {
      return record_step(recorder, process, node, step, perform);
    };
    return workload.perform_steps(client, invocation, run_step).type;
  }
  return record_step(recorder, process, node, invocation, [&] { return workload.perform(client, invocation); }).type;
}

void ClientPool::run_slot(int slot) {
  const std::vector<std::string> nodes = target_.node_ids();
  std::int64_t process = slot;
  // The slot, not the process, picks the node (as Jepsen binds a node to each client thread):
  // a process retired after `info` is followed on the same node, so every node keeps its
  // share of clients, and process p is always on node (p mod clients) mod N.
  const std::string& node = nodes[static_cast<std::size_t>(slot) % nodes.size()];
  std::unique_ptr<KvClient> client = target_.client(node);
  while (!stopping_) {
    // Wait for this op's turn in the rate's schedule.
    std::int64_t k = next_slot_++;
    const double due_s = static_cast<double>(k) / rate_per_s_;
    const double now_s = clock_.elapsed_s();
    if (due_s < now_s - schedule_lag_s_max) {
      // Behind by more than the allowed lag: move the whole schedule forward instead of bursting.
      std::int64_t caught_up = static_cast<std::int64_t>((now_s - schedule_lag_s_max) * rate_per_s_);
      std::int64_t expected = k + 1;
      next_slot_.compare_exchange_strong(expected, std::max(caught_up, k + 1));
    } else if (!sleep_until(clock_.at(due_s), stopping_)) {
      break;
    }
    Invocation invocation;
    {
      std::lock_guard lock(generator_mutex_);
      invocation = generator_->next(random_);
    }
    const OpType type = perform_and_record(workload_, *client, node, recorder_, process, invocation);
    if (type == OpType::ok) ++ok_;
    else if (type == OpType::fail) ++fail_;
    else {
      ++info_;
      process += clients_;
      std::int64_t highest = highest_process_.load();
      while (process > highest && !highest_process_.compare_exchange_weak(highest, process)) {
      }
      client = target_.client(node);
    }
  }
}

}  // namespace faultline
