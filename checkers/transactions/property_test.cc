// Completeness where it is cheap to decide: on thousands of random small list-append
// histories, the checker's serializable, strict-serializable and strong-session-serializable
// verdicts against a brute force that tries every serial order of the transactions that may
// have committed (for strict, only orders consistent with real time; for strong-session, only
// orders consistent with each process's order). Soundness comes along: every reported
// cycle is re-verified independently (ListAppendResult::unverified).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

#include "transactions/list_append.h"
#include "transactions/test_histories.h"
#include "transactions/transactions.h"

namespace faultline::transactions {
namespace {

// Whether some choice of committed info txns and some serial order of them with every ok txn
// (respecting real time when `strict`) makes every ok txn's reads exactly what it read.
enum class Order { none, realtime, process };

bool serializable_by_brute_force(const History& ops, Order order_constraint) {
  auto parsed = read_transactions(ops);
  REQUIRE(parsed);
  const TransactionHistory& history = *parsed;
  std::vector<TxnId> must, may;
  for (TxnId t = 0; t < history.txns.size(); ++t) {
    if (history.txns[t].outcome == Outcome::ok) must.push_back(t);
    if (history.txns[t].outcome == Outcome::info) may.push_back(t);
  }
  auto precedes = [&](TxnId a, TxnId b) {
    const Transaction& first = history.txns[a];
    if (order_constraint == Order::process && first.process != history.txns[b].process) return false;
    return first.outcome == Outcome::ok && static_cast<std::size_t>(first.complete_position) < history.txns[b].invoke_position;
  };
  for (std::uint32_t subset = 0; subset < (1u << may.size()); ++subset) {
    std::vector<TxnId> order = must;
    for (std::size_t i = 0; i < may.size(); ++i)
      if (subset & (1u << i)) order.push_back(may[i]);
    std::sort(order.begin(), order.end());
    do {
      bool fine = true;
      for (std::size_t i = 0; fine && i < order.size(); ++i)
        for (std::size_t j = i + 1; fine && j < order.size(); ++j)
          if (order_constraint != Order::none && precedes(order[j], order[i])) fine = false;
      std::map<KeyId, std::vector<ElementId>> lists;
      for (std::size_t i = 0; fine && i < order.size(); ++i) {
        const Transaction& txn = history.txns[order[i]];
        for (const MicroOp& micro_op : history.micro_ops_of(txn)) {
          std::vector<ElementId>& list = lists[micro_op.key];
          if (micro_op.kind == MicroOp::Kind::append) {
            list.push_back(micro_op.element);
          } else if (txn.outcome == Outcome::ok && !micro_op.read_unknown) {
            auto read = history.read_list(micro_op);
            if (!std::equal(read.begin(), read.end(), list.begin(), list.end())) fine = false;
          }
        }
      }
      if (fine) return true;
    } while (std::next_permutation(order.begin(), order.end()));
  }
  return false;
}

std::string txn_text(const std::vector<nlohmann::json>& micro_ops) { return nlohmann::json(micro_ops).dump(); }

// A small random history from a database that mostly behaves: transactions run in some serial
// order, and each read shows the key's state at that point, or else a random prefix of the
// key's final list (seeing the future, or the past). Some txns fail (a few of them ran
// anyway) or crash (info, ran or not). Timing is sequential or concurrent; in sequential
// histories, ok and failed txns share two processes (so sessions have an order).
History random_history(std::mt19937_64& random, bool concurrent) {
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(random) < p; };
  auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  const int txn_count = pick(2, 4), key_count = pick(1, 3);
  struct Planned {
    std::vector<nlohmann::json> micro_ops;
    OpType outcome = OpType::ok;
    bool ran = true;
  };
  std::vector<Planned> txns(static_cast<std::size_t>(txn_count));
  std::vector<int> next_element(static_cast<std::size_t>(key_count), 1);
  for (Planned& txn : txns) {
    for (int m = pick(1, 3); m > 0; --m) {
      const int key = pick(0, key_count - 1);
      if (chance(0.5)) txn.micro_ops.push_back({"append", key, next_element[static_cast<std::size_t>(key)]++});
      else txn.micro_ops.push_back({"r", key, nullptr});
    }
    const double outcome = std::uniform_real_distribution<double>(0, 1)(random);
    txn.outcome = outcome < 0.8 ? OpType::ok : outcome < 0.9 ? OpType::fail : OpType::info;
    txn.ran = txn.outcome == OpType::ok || (txn.outcome == OpType::info ? chance(0.5) : chance(0.2));
  }
  std::vector<std::size_t> run_order(txns.size());
  std::iota(run_order.begin(), run_order.end(), 0);
  std::shuffle(run_order.begin(), run_order.end(), random);
  std::map<int, std::vector<int>> final_lists;
  for (std::size_t t : run_order)
    if (txns[t].ran)
      for (const auto& micro_op : txns[t].micro_ops)
        if (micro_op[0] == "append") final_lists[micro_op[1].get<int>()].push_back(micro_op[2].get<int>());
  std::map<int, std::vector<int>> lists;
  for (std::size_t t : run_order) {
    for (auto& micro_op : txns[t].micro_ops) {
      const int key = micro_op[1].get<int>();
      if (micro_op[0] == "append") {
        if (txns[t].ran) lists[key].push_back(micro_op[2].get<int>());
      } else if (chance(0.65)) {
        micro_op[2] = lists[key];
      } else {
        const std::vector<int>& full = final_lists[key];
        micro_op[2] = std::vector<int>(full.begin(), full.begin() + pick(0, static_cast<int>(full.size())));
      }
    }
  }
  // Events: each txn is invoked, then completed; sequential histories complete each before the next.
  std::vector<std::size_t> events;  // txn t appears twice: invoke, then complete
  std::vector<std::size_t> shuffled(txns.size());
  std::iota(shuffled.begin(), shuffled.end(), 0);
  std::shuffle(shuffled.begin(), shuffled.end(), random);
  for (std::size_t t : shuffled) {
    events.push_back(t);
    events.push_back(t);
  }
  if (concurrent) std::shuffle(events.begin(), events.end(), random);
  test::Events h;
  std::vector<bool> invoked(txns.size(), false);
  for (std::size_t t : events) {
    const std::string value = txn_text(txns[t].micro_ops);
    const bool shared = !concurrent && txns[t].outcome != OpType::info;
    const auto process = shared ? 100 + static_cast<std::int64_t>(t % 2) : static_cast<std::int64_t>(t);
    if (!invoked[t]) {
      h.invoke(process, value);
      invoked[t] = true;
    } else if (txns[t].outcome == OpType::ok) {
      h.ok(process, value);
    } else if (txns[t].outcome == OpType::fail) {
      h.fail(process, value);
    } else {
      h.info(process, value);
    }
  }
  return h.build();
}

std::string history_text(const History& history) {
  std::string text;
  for (const Op& op : history.ops()) text += describe(op) + "\n";
  return text;
}

TEST_CASE("property: serializable, strict- and strong-session-serializable verdicts equal a brute force over serial orders") {
  constexpr int histories = 10000;
  std::map<std::string, int> tally;
  for (int seed = 1; seed <= histories; ++seed) {
    std::mt19937_64 random(static_cast<std::uint64_t>(seed));
    const bool concurrent = seed % 2 == 0;
    const History history = random_history(random, concurrent);
    for (const auto& [model, order] : {std::pair{"serializable", Order::none}, std::pair{"strict-serializable", Order::realtime},
                                       std::pair{"strong-session-serializable", Order::process}}) {
      const ListAppendResult result = check_list_append(history, {{model}});
      const bool brute_force = serializable_by_brute_force(history, order);
      INFO("seed " << seed << ", " << model << "\n"
                   << history_text(history) << result.to_json().dump());
      REQUIRE(result.unverified.empty());
      REQUIRE(!result.error);
      // Unknown (nothing to check: no edges) is not a claim either way; the brute force then
      // must find an order.
      REQUIRE((result.verdict == Verdict::invalid) == !brute_force);
      ++tally[std::string(model) + (brute_force ? " valid" : " invalid")];
    }
  }
  WARN("verdicts: " << nlohmann::json(tally).dump());
  for (const char* bucket : {"serializable valid", "serializable invalid", "strict-serializable valid", "strict-serializable invalid",
                             "strong-session-serializable valid", "strong-session-serializable invalid"})
    CHECK(tally[bucket] > histories / 10);
}

}  // namespace
}  // namespace faultline::transactions
