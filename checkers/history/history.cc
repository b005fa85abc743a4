#include "history.h"

namespace faultline {

Expected<History> History::build(std::vector<Op> ops, std::string source) {
  HistoryBuilder builder(std::move(source));
  std::int64_t line = 0;
  for (Op& op : ops) {
    auto added = builder.add(std::move(op), ++line);
    if (!added) return std::unexpected(added.error());
  }
  return std::move(builder).finish();
}

Expected<void> HistoryBuilder::add(Op op, std::int64_t line) {
  const std::size_t position = history_.ops_.size();
  if (op.index < 0) op.index = static_cast<std::int64_t>(position);
  auto error = [&](std::string field, std::string message) {
    return std::unexpected(InputError{source_, line, std::move(field), std::move(message)});
  };
  std::int64_t partner = -1;
  if (!op.is_nemesis()) {
    const std::string who = "process " + std::to_string(op.process);
    if (op.type == OpType::invoke) {
      if (auto retired = retired_at_.find(op.process); retired != retired_at_.end()) {
        return error("process", who + " invokes again after its operation ended in info at line " +
                                    std::to_string(retired->second) +
                                    " (a process whose outcome is unknown never invokes again)");
      }
      if (auto open = pending_.find(op.process); open != pending_.end()) {
        return error("process", who + " invokes twice without completing (its open invocation is at line " +
                                    std::to_string(open->second.line) + ")");
      }
      pending_.emplace(op.process, Pending{position, line});
    } else {
      auto open = pending_.find(op.process);
      if (open == pending_.end()) {
        return error("process", who + " completes (" + std::string(to_string(op.type)) +
                                    ") an operation it never invoked");
      }
      const Op& invocation = history_.ops_[open->second.position];
      if (invocation.f != op.f) {
        return error("f", "completion f '" + op.f + "' does not match the invocation's f '" +
                              invocation.f + "' at line " + std::to_string(open->second.line));
      }
      if (invocation.key != op.key) {
        return error("key", "completion key does not match the invocation's key at line " +
                                std::to_string(open->second.line));
      }
      partner = static_cast<std::int64_t>(open->second.position);
      history_.partner_[open->second.position] = static_cast<std::int64_t>(position);
      pending_.erase(open);
      if (op.type == OpType::info) retired_at_.emplace(op.process, line);
    }
  }
  history_.ops_.push_back(std::move(op));
  history_.partner_.push_back(partner);
  history_.lines_.push_back(line);
  return {};
}

History HistoryBuilder::finish() && { return std::move(history_); }

}  // namespace faultline
