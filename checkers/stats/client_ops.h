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
};

// Every client invocation (nemesis ops left out), in invocation order.
std::vector<ClientOpSpan> client_op_spans(const History& history);

// How many operations ended ok, fail and info, as the stats and availability checkers count them.
struct OutcomeCounts {
  std::int64_t count = 0, ok = 0, fail = 0, info = 0;
  void add(OpType outcome) {
    ++count;
    ok += outcome == OpType::ok;
    fail += outcome == OpType::fail;
    info += outcome == OpType::info;
  }
  // {"count", "ok_count", "fail_count", "info_count"}, and "ok_share" (null when count is 0)
  // when `with_share`.
  nlohmann::json to_json(bool with_share) const {
    nlohmann::json out = {{"count", count}, {"ok_count", ok}, {"fail_count", fail}, {"info_count", info}};
    if (with_share)
      out["ok_share"] = count > 0 ? nlohmann::json(static_cast<double>(ok) / static_cast<double>(count)) : nlohmann::json(nullptr);
    return out;
  }
};

}  // namespace faultline
