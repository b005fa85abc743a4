#include "stats/client_ops.h"

namespace faultline {

std::vector<ClientOpSpan> client_op_spans(const History& history) {
  std::vector<ClientOpSpan> spans;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    if (op.is_nemesis() || op.type != OpType::invoke) continue;
    ClientOpSpan span{i, std::nullopt, OpType::info};
    if (const std::int64_t partner = history.partner(i); partner >= 0) {
      span.complete = static_cast<std::size_t>(partner);
      const Op& completion = history[span.complete.value()];
      span.outcome = completion.type;
      span.answered = completion.type == OpType::ok || completion.answer == "answered";
    }
    spans.push_back(span);
  }
  return spans;
}

}  // namespace faultline
