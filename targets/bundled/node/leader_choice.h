// Which node proposes this node's client operations under `--proposers leader`: the
// lowest-numbered node it does not suspect. A node never suspects itself, so the answer always
// exists (node 0 proposes for itself). A node that did not answer a forwarded operation is
// suspected for a while and then tried again, so a restarted or healed leader takes over again.
// Leadership is only a preference for speed: Paxos stays safe with any number of proposers.
// Pure (STYLE principles 1 and 2): the caller passes the time; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace faultline::node {

class LeaderChoice {
 public:
  LeaderChoice(std::size_t nodes, std::size_t self, std::int64_t suspicion_ms)
      : suspected_until_ms_(nodes, 0), self_(self), suspicion_ms_(suspicion_ms) {}

  std::size_t leader(std::int64_t now_ms) const {
    for (std::size_t node = 0; node < self_; ++node)
      if (suspected_until_ms_[node] <= now_ms) return node;
    return self_;
  }

  void suspect(std::size_t node, std::int64_t now_ms) {
    if (node != self_) suspected_until_ms_[node] = now_ms + suspicion_ms_;
  }

 private:
  std::vector<std::int64_t> suspected_until_ms_;
  std::size_t self_;
  std::int64_t suspicion_ms_;
};

}  // namespace faultline::node
