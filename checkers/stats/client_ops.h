// The client operations of a history, each as one span from invocation to completion: what
// the measuring checkers (stats, availability, latency) count.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/history.h"

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

// How many operations ended ok, fail and info, as the stats and availability checkers count them.
struct OutcomeCounts {
  std::int64_t count = 0, ok = 0, fail = 0, info = 0;
  std::int64_t answered = 0;  // ok, or an answer that was not ok (a failed compare)
  void add(OpType outcome, bool was_answered = false) {
    ++count;
    ok += outcome == OpType::ok;
    fail += outcome == OpType::fail;
    info += outcome == OpType::info;
    answered += outcome == OpType::ok || was_answered;
  }
  // {"count", "ok_count", "fail_count", "info_count"}, and "ok_share" (null when count is 0)
  // when `with_share`.
  nlohmann::json to_json(bool with_share) const {
    nlohmann::json out = {{"count", count}, {"ok_count", ok}, {"fail_count", fail}, {"info_count", info}};
    if (with_share) {
      auto share = [&](std::int64_t part) {
        return count > 0 ? nlohmann::json(static_cast<double>(part) / static_cast<double>(count)) : nlohmann::json(nullptr);
      };
      out["ok_share"] = share(ok);
      out["answered_count"] = answered;
      out["answered_share"] = share(answered);
    }
    return out;
  }
};

}  // namespace faultline
