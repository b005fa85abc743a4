// The rw-register checker against a brute force that tries every serial order of the
// transactions that may have committed (for strict-serializable, only orders consistent with
// real time; for strong-session-serializable, with each process's order), on thousands of
// small random histories:
// - soundness, always: an invalid verdict means no serial order exists, and every reported
//   cycle is re-verified independently (TransactionCheckResult::unverified);
// - serial executions, as recorded, are never invalid;
// - completeness where rw-register's inference is complete: when every write is a
//   read-modify-write of its key (so each version's predecessor is known) and no transaction
//   crashed (an info transaction's reads are unknown), the verdict is invalid exactly when no
//   serial order exists. With blind writes the version order is partly unknown, and a
//   non-serializable history can pass (Elle's rw-register is incomplete there too).
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <numeric>
#include <random>

#include "transactions/rw_register.h"
#include "transactions/test_histories.h"
#include "transactions/transactions.h"

namespace faultline::transactions {
namespace {

enum class Order { none, realtime, process };

// Whether some choice of committed info txns and some serial order of them with every ok txn
// (respecting `order_constraint`) makes every ok txn's reads exactly what it read.
bool serializable_by_brute_force(const History& ops, Order order_constraint) {
  auto parsed = read_transactions(ops, TransactionModel::rw_register);
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
      std::map<KeyId, ElementId> state;  // absent: nil
      for (std::size_t i = 0; fine && i < order.size(); ++i) {
        const Transaction& txn = history.txns[order[i]];
        for (const MicroOp& micro_op : history.micro_ops_of(txn)) {
          if (micro_op.kind == MicroOp::Kind::write) {
            state[micro_op.key] = micro_op.element;
          } else if (txn.outcome == Outcome::ok && !micro_op.read_unknown) {
            auto it = state.find(micro_op.key);
            if ((it == state.end() ? initial_state : it->second) != micro_op.element) fine = false;
          }
        }
      }
      if (fine) return true;
    } while (std::next_permutation(order.begin(), order.end()));
  }
  return false;
}

struct Shape {
  bool read_modify_write_only = false;  // every write follows a read of its key in its txn
  bool crashes = true;                  // some txns end info
  bool faithful = false;                // reads show the serial state, never another value
  bool concurrent = false;
};

// A small random history from a database that mostly behaves: transactions run in some serial
// order and each read shows the key's state at that point, or (unless faithful) some other
// value written to that key anywhere, or nil. Some txns fail (a few ran anyway); with crashes,
// some end info (ran or not). Sequential histories complete each txn before the next, ok and
// failed txns sharing two processes (so sessions have an order).
History random_history(std::mt19937_64& random, const Shape& shape) {
  auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(random) < p; };
  auto pick = [&](int low, int high) { return std::uniform_int_distribution<int>(low, high)(random); };
  const int txn_count = pick(2, 4), key_count = pick(1, 3);
  struct Planned {
    std::vector<nlohmann::json> micro_ops;
    OpType outcome = OpType::ok;
    bool ran = true;
  };
  std::vector<Planned> txns(static_cast<std::size_t>(txn_count));
  std::vector<int> next_value(static_cast<std::size_t>(key_count), 1);
  std::map<int, std::vector<int>> all_written;
  for (Planned& txn : txns) {
    for (int m = pick(1, 3); m > 0; --m) {
      const int key = pick(0, key_count - 1);
      if (chance(0.5)) {
        if (shape.read_modify_write_only) txn.micro_ops.push_back({"r", key, nullptr});
        const int value = next_value[static_cast<std::size_t>(key)]++;
        txn.micro_ops.push_back({"w", key, value});
        all_written[key].push_back(value);
      } else {
        txn.micro_ops.push_back({"r", key, nullptr});
      }
    }
    const double outcome = std::uniform_real_distribution<double>(0, 1)(random);
    txn.outcome = outcome < 0.8 ? OpType::ok : outcome < 0.9 || !shape.crashes ? OpType::fail : OpType::info;
    txn.ran = txn.outcome == OpType::ok || (txn.outcome == OpType::info ? chance(0.5) : chance(0.2));
  }
  std::vector<std::size_t> run_order(txns.size());
  std::iota(run_order.begin(), run_order.end(), 0);
  std::shuffle(run_order.begin(), run_order.end(), random);
  std::map<int, int> state;  // absent: nil
  for (std::size_t t : run_order) {
    for (auto& micro_op : txns[t].micro_ops) {
      const int key = micro_op[1].get<int>();
      if (micro_op[0] == "w") {
        if (txns[t].ran) state[key] = micro_op[2].get<int>();
      } else if (shape.faithful || chance(0.7)) {
        micro_op[2] = state.contains(key) ? nlohmann::json(state[key]) : nlohmann::json(nullptr);
      } else {
        const std::vector<int>& written = all_written[key];
        const int choice = pick(0, static_cast<int>(written.size()));
        micro_op[2] = choice == 0 ? nlohmann::json(nullptr) : nlohmann::json(written[static_cast<std::size_t>(choice - 1)]);
      }
    }
  }
  // Events: each txn is invoked, then completed; sequential histories complete each before the
  // next, in run order when faithful (so that real time agrees with the serial order).
  std::vector<std::size_t> events;  // txn t appears twice: invoke, then complete
  std::vector<std::size_t> order = run_order;
  if (!shape.faithful) std::shuffle(order.begin(), order.end(), random);
  for (std::size_t t : order) {
    events.push_back(t);
    events.push_back(t);
  }
  if (shape.concurrent) std::shuffle(events.begin(), events.end(), random);
  test::Events h;
  std::vector<bool> invoked(txns.size(), false);
  for (std::size_t t : events) {
    const std::string value = nlohmann::json(txns[t].micro_ops).dump();
    const bool shared = !shape.concurrent && txns[t].outcome != OpType::info;
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

const std::pair<const char*, Order> models[] = {
    {"serializable", Order::none}, {"strict-serializable", Order::realtime}, {"strong-session-serializable", Order::process}};

TEST_CASE("rw-register property: invalid only when no serial order exists, every cycle verified") {
  constexpr int histories = 6000;
  std::map<std::string, int> tally;
  for (int seed = 1; seed <= histories; ++seed) {
    std::mt19937_64 random(static_cast<std::uint64_t>(seed));
    const Shape shape{.read_modify_write_only = seed % 3 == 0, .crashes = true, .faithful = false, .concurrent = seed % 2 == 0};
    const History history = random_history(random, shape);
    for (const auto& [model, order] : models) {
      const TransactionCheckResult result = check_rw_register(history, {{model}});
      const bool brute_force = serializable_by_brute_force(history, order);
      INFO("seed " << seed << ", " << model << "\n" << history_text(history) << result.to_json().dump());
      REQUIRE(result.unverified.empty());
      REQUIRE(!result.error);
      if (result.verdict == Verdict::invalid) REQUIRE(!brute_force);
      ++tally[std::string(model) + (brute_force ? " valid" : result.verdict == Verdict::invalid ? " invalid" : " missed")];
    }
  }
  WARN("verdicts: " << nlohmann::json(tally).dump());
  // The histories exercise both answers, and most non-serializable ones are caught.
  for (const auto& [model, order] : models) {
    CHECK(tally[std::string(model) + " valid"] > histories / 10);
    CHECK(tally[std::string(model) + " invalid"] > histories / 10);
    CHECK(tally[std::string(model) + " missed"] < tally[std::string(model) + " invalid"] / 4);
  }
}

TEST_CASE("rw-register property: serial executions, as recorded, are never invalid") {
  for (int seed = 1; seed <= 3000; ++seed) {
    std::mt19937_64 random(static_cast<std::uint64_t>(seed));
    const Shape shape{.read_modify_write_only = seed % 2 == 0, .crashes = true, .faithful = true, .concurrent = false};
    const History history = random_history(random, shape);
    for (const auto& [model, order] : models) {
      const TransactionCheckResult result = check_rw_register(history, {{model}});
      INFO("seed " << seed << ", " << model << "\n" << history_text(history) << result.to_json().dump());
      // A failed txn that ran anyway may be read (G1a): the brute force says so too.
      REQUIRE((result.verdict == Verdict::invalid) == !serializable_by_brute_force(history, order));
    }
  }
}

TEST_CASE("rw-register property: with read-modify-writes and no crashes, verdicts equal the brute force") {
  constexpr int histories = 6000;
  std::map<std::string, int> tally;
  for (int seed = 1; seed <= histories; ++seed) {
    std::mt19937_64 random(static_cast<std::uint64_t>(seed));
    const Shape shape{.read_modify_write_only = true, .crashes = false, .faithful = false, .concurrent = seed % 2 == 0};
    const History history = random_history(random, shape);
    for (const auto& [model, order] : models) {
      const TransactionCheckResult result = check_rw_register(history, {{model}});
      const bool brute_force = serializable_by_brute_force(history, order);
      INFO("seed " << seed << ", " << model << "\n" << history_text(history) << result.to_json().dump());
      REQUIRE(result.unverified.empty());
      REQUIRE((result.verdict == Verdict::invalid) == !brute_force);
      ++tally[std::string(model) + (brute_force ? " valid" : " invalid")];
    }
  }
  WARN("verdicts: " << nlohmann::json(tally).dump());
  for (const auto& [model, order] : models) {
    CHECK(tally[std::string(model) + " valid"] > histories / 10);
    CHECK(tally[std::string(model) + " invalid"] > histories / 10);
  }
}

}  // namespace
}  // namespace faultline::transactions
