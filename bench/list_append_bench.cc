// How fast the list-append checker is on large synthetic histories (issue 18's benchmark).
//   faultline-bench-list-append [TRANSACTIONS] [PROCESSES] [stale]
// Writes a history of TRANSACTIONS (default 100000) list-append transactions from PROCESSES
// (default 10) concurrent clients against an in-memory strict-serializable store (each txn
// takes effect at its completion), 1-4 micro-ops over 10 keys at a time, each key retired
// after 100 appends as Jepsen's generator does; with `stale`, one read in 1000 returns the
// state before the last append (a stale read, which the checker must find). Prints the wall
// time of building the history and of the check, the verdict and the peak RSS.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "transactions/list_append.h"

using namespace faultline;

int main(int argc, char** argv) {
  const long transactions_total = argc > 1 ? std::atol(argv[1]) : 100000;
  const int processes = argc > 2 ? std::atoi(argv[2]) : 10;
  const bool stale = argc > 3 && std::string(argv[3]) == "stale";
  constexpr int active_keys = 10, appends_per_key_max = 100;
  std::mt19937_64 random(42);
  auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };

  const auto start = std::chrono::steady_clock::now();
  std::vector<int> keys(active_keys);
  for (int i = 0; i < active_keys; ++i) keys[i] = i;
  int next_key = active_keys;
  std::map<int, std::vector<int>> lists;
  std::map<int, int> appended;
  std::vector<Op> ops;
  std::vector<nlohmann::json> in_flight(static_cast<std::size_t>(processes));
  long invoked = 0, completed = 0;
  while (completed < transactions_total) {
    const int p = pick(0, processes - 1);
    nlohmann::json& txn = in_flight[static_cast<std::size_t>(p)];
    Op op;
    op.process = p;
    op.f = "txn";
    op.time_ns = static_cast<std::int64_t>(ops.size()) * 1000;
    if (txn.is_null()) {
      if (invoked == transactions_total) continue;
      txn = nlohmann::json::array();
      for (int m = pick(1, 4); m > 0; --m) {
        const int slot = pick(0, active_keys - 1);
        if (pick(0, 1) == 0) {
          if (appended[keys[slot]] == appends_per_key_max) keys[slot] = next_key++;
          txn.push_back({"append", keys[slot], ++appended[keys[slot]]});
        } else {
          txn.push_back({"r", keys[slot], nullptr});
        }
      }
      op.type = OpType::invoke;
      op.value = txn;
      ++invoked;
    } else {
      for (auto& micro_op : txn) {  // takes effect now, atomically
        std::vector<int>& list = lists[micro_op[1].get<int>()];
        if (micro_op[0] == "append") {
          list.push_back(micro_op[2].get<int>());
        } else if (stale && !list.empty() && pick(0, 999) == 0) {
          micro_op[2] = std::vector<int>(list.begin(), list.end() - 1);
        } else {
          micro_op[2] = list;
        }
      }
      op.type = OpType::ok;
      op.value = std::move(txn);
      txn = nullptr;
      ++completed;
    }
    ops.push_back(std::move(op));
  }
  auto history = History::build(std::move(ops), "synthetic");
  if (!history) {
    std::fprintf(stderr, "%s\n", history.error().to_string().c_str());
    return 3;
  }
  const auto built = std::chrono::steady_clock::now();
  const transactions::ListAppendResult result = transactions::check_list_append(*history);
  const auto checked = std::chrono::steady_clock::now();
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto ms = [](auto from, auto to) { return std::chrono::duration<double, std::milli>(to - from).count(); };
  std::printf("%ld transactions, %d processes%s: history %.0f ms, check %.0f ms (%.0f txn/s), %zu edges, verdict %s %s, peak RSS %ld MiB\n",
              transactions_total, processes, stale ? ", stale reads" : "", ms(start, built), ms(built, checked),
              transactions_total / (ms(built, checked) / 1000.0), result.edges, std::string(to_string(result.verdict)).c_str(),
              nlohmann::json(result.anomaly_types).dump().c_str(), usage.ru_maxrss / 1024);
  return 0;
}
