// The client operations of a history, each as one span from invocation to completion: what
// the measuring checkers (stats, availability, latency) count.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/history.h"
#include "results/measurement_results.h"  // OutcomeCounts, what the checkers count spans into

namespace faultline {

struct ClientOpSpan {
  std::size_t invoke = 0;               // position of the invocation
  std::optional<std::size_t> complete;  // position of the completion; nullopt: never completed
  // ok, fail or info; info also when the op never completed (its outcome is unknown).
  OpType outcome = OpType::info;
  // The system answered: ok, or a fail/info whose answer class is "answered" (op.h).
  bool answered = false;
};

// Every client invocation (nemesis ops left out), in invocation order.
std::vector<ClientOpSpan> client_op_spans(const History& history);

}  // namespace faultline
