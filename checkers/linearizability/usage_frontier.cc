#include "usage_frontier.h"

namespace faultline {

bool UsageFrontier::at_most(std::uint32_t offset, std::span<const std::int32_t> usage) const {
  for (std::size_t c = 0; c < class_count_; ++c)
    if (usages_[offset + c] > usage[c]) return false;
  return true;
}

bool UsageFrontier::dominated(std::int32_t place, std::span<const std::int32_t> usage) const {
  if (static_cast<std::size_t>(place) >= heads_.size()) return false;
  for (std::int32_t n = heads_[static_cast<std::size_t>(place)]; n >= 0; n = nodes_[static_cast<std::size_t>(n)].next)
    if (at_most(nodes_[static_cast<std::size_t>(n)].usage, usage)) return true;
  return false;
}

void UsageFrontier::add(std::int32_t place, std::span<const std::int32_t> usage) {
  if (static_cast<std::size_t>(place) >= heads_.size()) heads_.resize(static_cast<std::size_t>(place) + 1, -1);
  // Unlink the usages that the new one dominates: they can no longer prune anything it does not.
  std::int32_t* link = &heads_[static_cast<std::size_t>(place)];
  while (*link >= 0) {
    Node& node = nodes_[static_cast<std::size_t>(*link)];
    bool dominated_by_new = true;
    for (std::size_t c = 0; c < class_count_ && dominated_by_new; ++c)
      dominated_by_new = usage[c] <= usages_[node.usage + c];
    if (dominated_by_new) *link = node.next;
    else link = &node.next;
  }
  const auto offset = static_cast<std::uint32_t>(usages_.size());
  usages_.insert(usages_.end(), usage.begin(), usage.end());
  nodes_.push_back(Node{heads_[static_cast<std::size_t>(place)], offset});
  heads_[static_cast<std::size_t>(place)] = static_cast<std::int32_t>(nodes_.size() - 1);
}

std::size_t UsageFrontier::bytes() const {
  return heads_.capacity() * sizeof(std::int32_t) + nodes_.capacity() * sizeof(Node) +
         usages_.capacity() * sizeof(std::int32_t);
}

}  // namespace faultline
