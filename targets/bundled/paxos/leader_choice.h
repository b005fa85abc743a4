// Which node proposes this node's client operations under `--proposers leader`: the
// lowest-numbered node it does not pass over. A node never passes over itself, so the answer
// always exists (node 0 proposes for itself). A node is passed over for `suspicion_ms` after a
// forwarded operation got no answer from it, and after a forward to it has gone unanswered for
// `slow_ms` (a paused or cut-off leader holds its forwards until they time out; new operations
// need not wait behind them). Afterwards it is tried again, so a restarted, resumed or healed
// leader takes over again, even while forwards from before still hang: each forward counts
// as slow once. Leadership is only a preference for speed: Paxos stays
// safe with any number of proposers.
// Times are in any one unit the caller chooses (the node: microseconds).
//
// `passed_over_while_slow` recreates the rule before commit b30b6ce (the planted bug
// paxos-healed-leader-passed-over): a leader stays passed over for as long as a forward
// older than `slow` still hangs, so a healed leader is not tried again until every forward
// from before the heal has timed out.
// Pure (STYLE principles 1 and 2): the caller passes the time; not thread-safe.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <vector>

namespace faultline::paxos {

class LeaderChoice {
 public:
  LeaderChoice(std::size_t nodes, std::size_t self, std::int64_t suspicion_ms, std::int64_t slow_ms,
               bool passed_over_while_slow = false)
      : nodes_(nodes), self_(self), suspicion_ms_(suspicion_ms), slow_ms_(slow_ms),
        passed_over_while_slow_(passed_over_while_slow) {}

  std::size_t leader(std::int64_t now_ms) {
    for (std::size_t node = 0; node < self_; ++node) {
      if (passed_over_while_slow_) {
        const Node& n = nodes_[node];
        const bool slow = !n.forwards_started_ms.empty() && *n.forwards_started_ms.begin() + slow_ms_ <= now_ms;
        if (n.suspected_until_ms <= now_ms && !slow) return node;
        continue;
      }
      note_slow_forwards(node, now_ms);
      if (nodes_[node].suspected_until_ms <= now_ms) return node;
    }
    return self_;
  }

  // A forward to `node` left at `now_ms`.
  void forward_started(std::size_t node, std::int64_t now_ms) { nodes_[node].forwards_started_ms.insert(now_ms); }

  // The forward to `node` that started at `started_ms` ended: answered, or not (no connection,
  // a timeout, a reset, nonsense).
  void forward_ended(std::size_t node, std::int64_t started_ms, bool answered, std::int64_t now_ms) {
    Node& n = nodes_[node];
    if (auto it = n.forwards_started_ms.find(started_ms); it != n.forwards_started_ms.end())
      n.forwards_started_ms.erase(it);
    if (!answered && node != self_) n.suspected_until_ms = now_ms + suspicion_ms_;
  }

 private:
  struct Node {
    std::int64_t suspected_until_ms = 0;
    std::multiset<std::int64_t> forwards_started_ms;  // forwards not yet ended
    std::int64_t slow_counted_through_ms = -1;        // forwards started until then counted as slow
  };

  // A forward not yet counted that has waited slow_ms makes the node suspected; every forward
  // in flight then is counted.
  void note_slow_forwards(std::size_t node, std::int64_t now_ms) {
    Node& n = nodes_[node];
    auto uncounted = n.forwards_started_ms.upper_bound(n.slow_counted_through_ms);
    if (uncounted == n.forwards_started_ms.end() || *uncounted + slow_ms_ > now_ms) return;
    n.suspected_until_ms = std::max(n.suspected_until_ms, now_ms + suspicion_ms_);
    n.slow_counted_through_ms = *n.forwards_started_ms.rbegin();
  }
  std::vector<Node> nodes_;
  std::size_t self_;
  std::int64_t suspicion_ms_;
  std::int64_t slow_ms_;
  bool passed_over_while_slow_;
};

}  // namespace faultline::paxos
