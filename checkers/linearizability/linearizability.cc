#include "linearizability.h"

#include <algorithm>
#include <atomic>
#include <thread>

#include <unistd.h>

#include "history/jsonl.h"
#include "results/linearizability_anomaly.h"
#include "key_problem.h"
#include "overwrite_check.h"
#include "search.h"

namespace faultline {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t concurrent_ops_shown_max = 12;
constexpr std::size_t linearized_ops_shown_max = 24;
constexpr std::size_t invalid_keys_listed_max = 20;

AnomalyOp op_summary(const History& history, const KeyProblem& problem, const Model& model, const ValueTable& values,
                     std::int32_t id) {
  const SearchOp& op = problem.ops[static_cast<std::size_t>(id)];
  const Op& invocation = history[static_cast<std::size_t>(op.invoke_position)];
  AnomalyOp summary;
  summary.process = invocation.process;
  summary.f = invocation.f;
  summary.input = model.show_input(op.input, values);
  summary.invoke_index = invocation.index;
  summary.invoke_time_ns = invocation.time_ns;
  if (op.indeterminate()) {
    summary.type = "info";
    summary.value = invocation.value;
  } else {
    const Op& completion = history[static_cast<std::size_t>(op.complete_position)];
    summary.type = "ok";
    summary.value = completion.value;
    summary.complete_index = completion.index;
    summary.complete_time_ns = completion.time_ns;
  }
  return summary;
}

// What one key's check found.
struct KeyVerdict {
  KeyOutcome search;  // when the overwrite check refuted nothing
  std::optional<OverwriteRefutation> overwrite;
  StateTable states;  // the states the search reached, which its outcome names
  Verdict verdict() const { return overwrite ? Verdict::invalid : search.verdict; }
};

// The overwrite pass first where it is sound (models/model.h), then the search.
KeyVerdict check_key(const KeyProblem& problem, const Model& model, const PreparedProblems& prepared,
                     const BudgetCheck& out_of_budget) {
  KeyVerdict verdict;
  verdict.states = prepared.initial_states;
  if (model.has_overwrite_pass()) verdict.overwrite = find_overwritten_state(problem, model, prepared.initial_state);
  if (!verdict.overwrite)
    verdict.search = search_key(problem, model, prepared.values, verdict.states, prepared.initial_state, out_of_budget);
  return verdict;
}

// Ops whose intervals overlap op `id`'s.
std::vector<AnomalyOp> concurrent_ops(const History& history, const KeyProblem& problem, const Model& model,
                                      const ValueTable& values, std::int32_t id) {
  std::vector<AnomalyOp> concurrent;
  const SearchOp& blocked = problem.ops[static_cast<std::size_t>(id)];
  const std::int64_t begin = blocked.invoke_position, end = blocked.complete_position;
  for (std::size_t i = 0; i < problem.ops.size() && concurrent.size() < concurrent_ops_shown_max; ++i) {
    const SearchOp& other = problem.ops[i];
    if (static_cast<std::int32_t>(i) == id) continue;
    const bool starts_before_end = other.invoke_position < end;
    const bool ends_after_begin = other.indeterminate() || other.complete_position > begin;
    if (starts_before_end && ends_after_begin)
      concurrent.push_back(op_summary(history, problem, model, values, static_cast<std::int32_t>(i)));
  }
  return concurrent;
}

LinearizabilityAnomaly describe_overwrite(const History& history, const KeyProblem& problem, const Model& model,
                                         const ValueTable& values, const StateTable& states,
                                         const OverwriteRefutation& refutation) {
  const SearchOp& op = problem.ops[static_cast<std::size_t>(refutation.op)];
  const std::string input = model.show_input(op.input, values);
  const std::string needed = model.show_state(refutation.needed, values, states);
  LinearizabilityAnomaly anomaly;
  anomaly.key = problem.key;
  anomaly.op = op_summary(history, problem, model, values, refutation.op);
  anomaly.method = LinearizabilityAnomaly::Method::overwrite;
  auto index_of = [&](std::int32_t id) {
    return std::to_string(history[static_cast<std::size_t>(problem.ops[static_cast<std::size_t>(id)].invoke_position)].index);
  };
  std::string explanation;
  if (refutation.overwriter < 0) {
    explanation = input + " needs the state " + needed + ", but no operation that could come before it sets " + needed;
  } else {
    const std::string overwriter = model.show_input(problem.ops[static_cast<std::size_t>(refutation.overwriter)].input, values);
    const std::string setter = refutation.setter < 0
        ? "the initial state " + needed
        : "the last " + model.show_input(problem.ops[static_cast<std::size_t>(refutation.setter)].input, values) +
              " (op " + index_of(refutation.setter) + ")";
    explanation = input + " needs the state " + needed + ", but " + setter + " was overwritten by " + overwriter +
                  " (op " + index_of(refutation.overwriter) + "), which completed before " + input + " began";
    anomaly.overwriter = op_summary(history, problem, model, values, refutation.overwriter);
    if (refutation.setter >= 0) anomaly.setter = op_summary(history, problem, model, values, refutation.setter);
  }
  anomaly.concurrent = concurrent_ops(history, problem, model, values, refutation.op);
  anomaly.explanation = explanation;
  return anomaly;
}

// The counterexample of one invalid key, for people (explanation) and reports (the rest).
LinearizabilityAnomaly describe_anomaly(const History& history, const KeyProblem& problem, const Model& model,
                                       const ValueTable& values, ModelState initial_state, KeyVerdict& verdict) {
  StateTable& states = verdict.states;
  if (verdict.overwrite) return describe_overwrite(history, problem, model, values, states, *verdict.overwrite);
  const KeyOutcome& outcome = verdict.search;
  const SearchOp& blocked = problem.ops[static_cast<std::size_t>(outcome.blocker)];
  LinearizabilityAnomaly anomaly;
  anomaly.key = problem.key;
  anomaly.op = op_summary(history, problem, model, values, outcome.blocker);
  anomaly.method = LinearizabilityAnomaly::Method::search;

  // The longest linearizable order, with the state after each op.
  std::vector<AnomalyOp> order;
  ModelState state = initial_state;
  const std::size_t skip = outcome.linearized.size() > linearized_ops_shown_max
                               ? outcome.linearized.size() - linearized_ops_shown_max : 0;
  for (std::size_t i = 0; i < outcome.linearized.size(); ++i) {
    const std::int32_t id = outcome.linearized[i];
    state = *model.step(state, problem.ops[static_cast<std::size_t>(id)].input, values, states);
    if (i < skip) continue;
    AnomalyOp entry = op_summary(history, problem, model, values, id);
    entry.state_after = model.show_state(state, values, states);
    order.push_back(std::move(entry));
  }
  anomaly.linearized = std::move(order);
  anomaly.linearized_count = outcome.linearized.size();

  anomaly.concurrent = concurrent_ops(history, problem, model, values, outcome.blocker);

  for (ModelState s : outcome.blocker_states) anomaly.states.push_back(model.show_state(s, values, states));
  anomaly.explanation =
      outcome.blocker_states.empty()
          ? model.show_input(blocked.input, values) + " cannot be placed: every order that reaches it was ruled out"
          : model.explain(blocked.input, outcome.blocker_states, values, states);
  return anomaly;
}

}  // namespace

std::size_t half_of_physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page_bytes = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_bytes <= 0) return std::size_t(1) << 30;
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page_bytes) / 2;
}

Expected<CheckResult> check_linearizability(const History& history, const LinearizabilityOptions& options) {
  const Clock::time_point started = options.clock();
  const Model& model = *options.model;
  auto prepared = prepare_problems(history, model, options.conventions, options.initial);
  if (!prepared) return std::unexpected(prepared.error());
  const std::vector<KeyProblem>& keys = prepared->keys;

  // Biggest keys first, so that the last thread to finish is not stuck with a big one.
  std::vector<std::size_t> order(keys.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a].ops.size() > keys[b].ops.size(); });

  std::vector<KeyVerdict> outcomes(keys.size());
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> memory_bytes{0};
  const bool has_deadline = options.time_limit.count() > 0;
  const Clock::time_point deadline = started + options.time_limit;

  auto worker = [&] {
    for (std::size_t n = next++; n < order.size(); n = next++) {
      const std::size_t k = order[n];
      std::size_t reported_bytes = 0;
      BudgetCheck out_of_budget = [&](std::size_t cache_bytes, std::string& reason) {
        memory_bytes += cache_bytes - reported_bytes;
        reported_bytes = cache_bytes;
        if (has_deadline && options.clock() > deadline) {
          reason = "time limit of " + std::to_string(options.time_limit.count()) + " ms reached";
          return true;
        }
        if (options.memory_limit_bytes > 0 && memory_bytes.load() > options.memory_limit_bytes) {
          const std::size_t mib = std::size_t(1) << 20;
          reason = "memory limit of " +
                   (options.memory_limit_bytes % mib == 0 ? std::to_string(options.memory_limit_bytes / mib) + " MiB"
                                                          : std::to_string(options.memory_limit_bytes) + " bytes") +
                   " reached";
          return true;
        }
        return false;
      };
      outcomes[k] = check_key(keys[k], model, *prepared, out_of_budget);
      memory_bytes -= reported_bytes;
    }
  };
  unsigned threads = options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, keys.size()));
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker);
  }

  CheckResult result;
  json& details = result.details;
  details = {{"model", model.name}, {"ops", prepared->client_ops}, {"keys", keys.size()}};
  json invalid_keys = json::array(), unknown_keys = json::array();
  std::size_t invalid_count = 0;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    KeyVerdict& outcome = outcomes[k];
    result.verdict = merge(result.verdict, outcome.verdict());
    if (outcome.verdict() == Verdict::invalid) {
      if (!details.contains("anomaly"))
        details["anomaly"] = describe_anomaly(history, keys[k], model, prepared->values, prepared->initial_state, outcome);
      if (invalid_keys.size() < invalid_keys_listed_max) invalid_keys.push_back(keys[k].key);
      ++invalid_count;
    } else if (outcome.verdict() == Verdict::unknown) {
      if (unknown_keys.size() < invalid_keys_listed_max) unknown_keys.push_back(keys[k].key);
      details["reason"] = outcome.search.unknown_reason;
    }
  }
  if (invalid_count > 0) {
    details["invalid_keys"] = invalid_keys;
    details["invalid_key_count"] = invalid_count;
  }
  if (!unknown_keys.empty()) details["unknown_keys"] = unknown_keys;
  return result;
}

}  // namespace faultline
