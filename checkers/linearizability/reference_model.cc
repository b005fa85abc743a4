#include "reference_model.h"

#include <stdexcept>
#include <string>

namespace faultline {
namespace {

using nlohmann::json;
using States = std::vector<json>;

[[noreturn]] void does_not_fit(std::string_view model, const Op& op) {
  throw std::invalid_argument("the reference " + std::string(model) + " model cannot take " + describe(op));
}

States only_if(bool legal, json state) { return legal ? States{std::move(state)} : States{}; }

States register_step(std::string_view model, const json& state, const Op& op, const Op* completion) {
  if (op.f == "read") return only_if(completion == nullptr || completion->value == state, state);
  if (op.f == "write") return {op.value};
  if (op.f == "cas" && model == "cas-register") return only_if(state == op.value.at(0), op.value.at(1));
  does_not_fit(model, op);
}

States mutex_step(const json& state, const Op& op) {
  const bool held = state.is_boolean() && state.get<bool>();
  if (op.f == "acquire") return only_if(!held, true);
  if (op.f == "release") return only_if(held, false);
  does_not_fit("mutex", op);
}

// kv: {key: string}; a key never written holds the initial string.
States kv_step(const json& initial, const json& state, const Op& op, const Op* completion) {
  const std::string key = op.key.value_or("");
  const std::string held = state.contains(key) ? state[key].get<std::string>() : initial.get<std::string>();
  json next = state;
  if (op.f == "get" || op.f == "read") {
    if (completion == nullptr) return {state};
    const std::string seen = completion->value.is_null() ? std::string() : completion->value.get<std::string>();
    return only_if(seen == held, state);
  }
  if (op.f == "put" || op.f == "write") next[key] = op.value.get<std::string>();
  else if (op.f == "append") next[key] = held + op.value.get<std::string>();
  else does_not_fit("kv", op);
  return {next};
}

// multi-register: {key as JSON text: value}; a register never written holds the initial value.
// Micro-ops run in order, and a read sees the transaction's own earlier writes.
States multi_register_step(const json& initial, const json& state, const Op& op, const Op* completion) {
  if (op.f != "txn") does_not_fit("multi-register", op);
  const bool reads_known = completion != nullptr && completion->value.is_array();
  const json& micro_ops = reads_known ? completion->value : op.value;
  json next = state;
  for (const json& micro_op : micro_ops) {
    const std::string f = micro_op.at(0).get<std::string>();
    const std::string key = micro_op.at(1).dump();
    if (f == "w" || f == "write") {
      next[key] = micro_op.at(2);
    } else if (f == "r" || f == "read") {
      const json held = next.contains(key) ? next[key] : initial;
      if (reads_known && micro_op.at(2) != held) return {};
    } else {
      does_not_fit("multi-register", op);
    }
  }
  return {next};
}

// Queues: a JSON array, oldest first. A dequeue that returned nil found the queue empty; one
// whose outcome is unknown took the head (fifo) or any element (unordered), or found it empty.
States queue_step(bool fifo, const json& state, const Op& op, const Op* completion) {
  if (op.f == "enqueue") {
    json next = state;
    next.push_back(op.value);
    return {next};
  }
  if (op.f != "dequeue") does_not_fit(fifo ? "fifo-queue" : "unordered-queue", op);
  if (completion != nullptr && completion->value.is_null()) return only_if(state.empty(), state);
  if (state.empty()) return only_if(completion == nullptr, state);
  States next;
  for (std::size_t i = 0; i < state.size(); ++i) {
    if (fifo && i > 0) break;
    if (completion != nullptr && state[i] != completion->value) continue;
    json rest = state;
    rest.erase(i);
    next.push_back(std::move(rest));
  }
  return next;
}

}  // namespace

json reference_initial_state(std::string_view model, const json& initial) {
  if (model == "register" || model == "cas-register") return initial;
  if (model == "mutex") return false;
  if (model == "kv" || model == "multi-register") return json::object();
  if (model == "fifo-queue" || model == "unordered-queue") return json::array();
  throw std::invalid_argument("no reference model for " + std::string(model));
}

std::vector<json> reference_step(std::string_view model, const json& initial, const json& state, const Op& invocation,
                                 const Op* completion) {
  if (model == "register" || model == "cas-register") return register_step(model, state, invocation, completion);
  if (model == "mutex") return mutex_step(state, invocation);
  if (model == "kv") return kv_step(initial.is_null() ? json("") : initial, state, invocation, completion);
  if (model == "multi-register") return multi_register_step(initial, state, invocation, completion);
  if (model == "fifo-queue" || model == "unordered-queue")
    return queue_step(model == "fifo-queue", state, invocation, completion);
  throw std::invalid_argument("no reference model for " + std::string(model));
}

}  // namespace faultline
