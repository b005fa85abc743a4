#include "key_problem.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace faultline {
namespace {

struct InputHash {
  std::size_t operator()(const ModelInput& input) const {
    return (std::size_t(input.f) * 0x9E3779B97F4A7C15ull) ^ (std::size_t(std::uint32_t(input.a)) << 21) ^
           std::size_t(std::uint32_t(input.b));
  }
};

void finish_problem(KeyProblem& problem) {
  // Determinate ops first, each group in invocation order: the search numbers them so that
  // "every determinate op below m is linearized" describes most of its state.
  std::stable_partition(problem.ops.begin(), problem.ops.end(), [](const SearchOp& op) { return !op.indeterminate(); });
  problem.determinate_count = static_cast<std::int32_t>(
      std::count_if(problem.ops.begin(), problem.ops.end(), [](const SearchOp& op) { return !op.indeterminate(); }));

  std::unordered_map<ModelInput, std::int32_t, InputHash> classes;
  for (SearchOp& op : problem.ops) {
    if (!op.indeterminate()) continue;
    auto [it, inserted] = classes.try_emplace(op.input, problem.class_count);
    if (inserted) {
      ++problem.class_count;
      problem.class_sizes.push_back(0);
    }
    op.info_class = it->second;
    op.class_rank = problem.class_sizes[static_cast<std::size_t>(it->second)]++;
  }

  struct Timed {
    std::int64_t position;
    SearchEvent event;
  };
  std::vector<Timed> timed;
  timed.reserve(problem.ops.size() * 2);
  for (std::size_t i = 0; i < problem.ops.size(); ++i) {
    const SearchOp& op = problem.ops[i];
    timed.push_back({op.invoke_position, {static_cast<std::int32_t>(i), true}});
    if (!op.indeterminate()) timed.push_back({op.complete_position, {static_cast<std::int32_t>(i), false}});
  }
  std::sort(timed.begin(), timed.end(), [](const Timed& a, const Timed& b) { return a.position < b.position; });
  problem.events.reserve(timed.size());
  for (const Timed& t : timed) problem.events.push_back(t.event);

  // The window: for each determinate op, how many determinate ops were invoked while it ran.
  std::int32_t window = 0;
  std::int32_t open_calls = 0;  // determinate ops invoked so far
  std::vector<std::int32_t> invoked_before(problem.ops.size(), 0);
  for (const SearchEvent& event : problem.events) {
    const SearchOp& op = problem.ops[static_cast<std::size_t>(event.op)];
    if (op.indeterminate()) continue;
    if (event.is_call) {
      invoked_before[static_cast<std::size_t>(event.op)] = open_calls;
      ++open_calls;
    } else {
      window = std::max(window, open_calls - invoked_before[static_cast<std::size_t>(event.op)] - 1);
    }
  }
  problem.window = window;
}

}  // namespace

Expected<PreparedProblems> prepare_problems(const History& history, const Model& model,
                                            const ModelConventions& conventions, const nlohmann::json& initial) {
  PreparedProblems prepared;
  auto initial_state = model.init(prepared.values.intern(initial), prepared.values, prepared.initial_states);
  if (!initial_state) return std::unexpected(InputError{history.source(), 0, "initial", initial_state.error()});
  prepared.initial_state = *initial_state;
  std::unordered_map<std::string, std::size_t> key_index;
  std::map<std::string, std::size_t> order;  // keys sorted for stable output
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    if (op.is_nemesis() || op.type != OpType::invoke) continue;
    ++prepared.client_ops;
    const std::int64_t partner = history.partner(i);
    const Op* completion = partner >= 0 ? &history[static_cast<std::size_t>(partner)] : nullptr;
    if (completion != nullptr && completion->type == OpType::fail) continue;
    const Op* ok = (completion != nullptr && completion->type == OpType::ok) ? completion : nullptr;
    auto input = model.prepare(op, ok, conventions, prepared.values);
    if (!input) {
      // The invocation's line, and the completion's (whose value the model may have read).
      std::string message = input.error();
      if (completion != nullptr) message += " (the op invoked here completes on line " + std::to_string(history.line(static_cast<std::size_t>(partner))) + ")";
      return std::unexpected(InputError{history.source(), history.line(i), "", std::move(message)});
    }
    if (!input->has_value()) continue;
    const std::string key = op.key.value_or("");
    auto [it, inserted] = key_index.try_emplace(key, prepared.keys.size());
    if (inserted) {
      prepared.keys.emplace_back();
      prepared.keys.back().key = key;
    }
    SearchOp search_op;
    search_op.input = **input;
    search_op.invoke_position = static_cast<std::int64_t>(i);
    search_op.complete_position = ok != nullptr ? partner : -1;
    prepared.keys[it->second].ops.push_back(search_op);
  }
  for (KeyProblem& problem : prepared.keys) finish_problem(problem);
  std::sort(prepared.keys.begin(), prepared.keys.end(),
            [](const KeyProblem& a, const KeyProblem& b) { return a.key < b.key; });
  return prepared;
}

}  // namespace faultline
