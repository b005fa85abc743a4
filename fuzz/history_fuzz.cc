// Fuzz target: the history readers (EDN, JSON Lines, Jepsen's log, and format detection), and
// on what they accept, the checkers that read foreign histories (linearizability with a small
// time limit, list-append and rw-register). The first byte picks the format. Nothing may crash
// or hang; a bad input is an error, never an abort.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "history/history_format.h"
#include "linearizability/linearizability.h"
#include "transactions/transaction_check.h"

namespace {

constexpr std::size_t checked_ops_max = 200;  // the search is exponential: keep each run short

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace faultline;
  if (size == 0) return 0;
  constexpr HistoryFormat formats[] = {HistoryFormat::auto_detect, HistoryFormat::jsonl, HistoryFormat::jepsen_log,
                                       HistoryFormat::edn, HistoryFormat::elle_json};
  // The digits '0' to '4' name the formats in this order (the seed corpus starts with them).
  const unsigned selector = data[0] >= '0' && data[0] <= '4' ? data[0] - '0' : data[0];
  const HistoryFormat format = formats[selector % std::size(formats)];
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  auto history = read_history(in, "fuzz", format);
  if (!history || history->ops().size() > checked_ops_max) return 0;
  LinearizabilityOptions options;
  options.time_limit = std::chrono::milliseconds(20);
  options.memory_limit_bytes = 64 << 20;
  options.threads = 1;
  (void)check_linearizability(*history, options);
  for (transactions::TransactionModel model : transactions::transaction_models) (void)transactions::check_transactions(*history, model);
  return 0;
}
