// The fast checker against the brute-force one (STYLE principle 13) on many small random
// histories: random concurrent intervals, values from a tiny range, info and fail ops and
// ops never completed, so that both verdicts are common.
//
// A disagreement prints the seed and the history as JSON Lines on stderr. To rerun one history:
//   FAULTLINE_PROPERTY_SEED=<seed> build/tests/checkers_test "[property]"
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "history/jsonl.h"
#include "linearizability/brute_force.h"
#include "linearizability/linearizability.h"

namespace faultline {
namespace {

const Model& register_model = *find_model("register");
const Model& cas_register_model = *find_model("cas-register");
const Model& mutex_model = *find_model("mutex");

using nlohmann::json;

constexpr int histories_per_model = 10'000;
constexpr std::uint64_t property_seed_first = 1;
constexpr int history_ops_max = 8;          // invocations; the brute force is exponential in them
constexpr int history_processes_max = 3;    // processes running at once
constexpr int history_values = 3;           // values 0..2, plus nil
constexpr int kv_keys = 2;                  // kv: keys x and y, values "a" and "b"
constexpr int txn_micro_ops_max = 3;        // multi-register: micro-ops per txn, on registers 0 and 1
constexpr int disagreements_shown_max = 3;  // the rest are only counted
// Below this share of either verdict the test would prove little.
constexpr double verdict_share_min = 0.15;

// The outcome of a completed op, by weight.
constexpr int ok_weight = 70;
constexpr int info_weight = 15;
constexpr int fail_weight = 15;
// How often an ok read returns the value a naive store holds rather than a random one, and
// how often a pending op at the end of the history is left without a completion.
constexpr double read_faithful_chance = 0.7;
constexpr double left_pending_chance = 0.5;

class RandomHistory {
 public:
  RandomHistory(const Model& model, std::uint64_t seed) : model_(model), rng_(seed) {}

  std::vector<Op> generate() {
    const int ops = 1 + below(history_ops_max);
    const int processes = 1 + below(history_processes_max);
    for (int p = 0; p < processes; ++p) slots_.push_back(Slot{next_process_++, std::nullopt});
    int invoked = 0;
    while (true) {
      std::vector<std::size_t> idle, busy;
      for (std::size_t s = 0; s < slots_.size(); ++s) (slots_[s].pending ? busy : idle).push_back(s);
      const bool may_invoke = invoked < ops && !idle.empty();
      if (!may_invoke && busy.empty()) break;
      if (may_invoke && (busy.empty() || chance(0.5))) {
        invoke(idle[static_cast<std::size_t>(below(static_cast<int>(idle.size())))]);
        ++invoked;
      } else if (invoked == ops && chance(left_pending_chance)) {
        break;  // the rest never complete, as when a test ends with requests in flight
      } else {
        complete(busy[static_cast<std::size_t>(below(static_cast<int>(busy.size())))]);
      }
    }
    return std::move(ops_);
  }

 private:
  struct Slot {
    std::int64_t process;
    std::optional<Op> pending;  // the open invocation
  };

  int below(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
  bool chance(double p) { return static_cast<double>(rng_() >> 11) * 0x1.0p-53 < p; }
  json random_value() { return json(below(history_values)); }
  json random_read_result() { return below(history_values + 1) == 0 ? json(nullptr) : random_value(); }

  json random_string() { return json(std::string(1, static_cast<char>('a' + below(2)))); }
  json random_get_result() {
    static const char* const strings[] = {"", "a", "b", "ab", "ba", "aa"};
    return below(7) == 0 ? json(nullptr) : json(strings[below(6)]);
  }

  void invoke(std::size_t slot) {
    Op op;
    op.process = slots_[slot].process;
    op.type = OpType::invoke;
    const std::string_view name = model_.name;
    if (name == "mutex") {
      op.f = chance(0.5) ? "acquire" : "release";
    } else if (name == "kv") {
      // Jepsen's read and write now and then, as the aliases of get and put.
      static const char* const functions[] = {"get", "put", "append", "append", "read", "write"};
      op.f = functions[below(chance(0.8) ? 4 : 6)];
      op.key = below(kv_keys) == 0 ? "x" : "y";
      if (op.f != "get" && op.f != "read") op.value = random_string();
    } else if (name == "multi-register") {
      op.f = "txn";
      op.value = json::array();
      for (int i = 0, n = 1 + below(txn_micro_ops_max); i < n; ++i) {
        const bool write = chance(0.5);
        op.value.push_back({write ? (chance(0.8) ? "w" : "write") : (chance(0.8) ? "r" : "read"), below(2),
                            write ? random_value() : json(nullptr)});
      }
    } else if (name == "fifo-queue" || name == "unordered-queue") {
      op.f = chance(0.5) ? "enqueue" : "dequeue";
      if (op.f == "enqueue") op.value = random_value();
    } else {
      const int functions = name == "cas-register" ? 3 : 2;
      switch (below(functions)) {
        case 0: op.f = "read"; break;
        case 1: op.f = "write"; op.value = random_value(); break;
        default: op.f = "cas"; op.value = json::array({random_value(), random_value()}); break;
      }
    }
    slots_[slot].pending = op;
    ops_.push_back(std::move(op));
  }

  // The naive store applies effects at completion; the noise (random outcomes, reads that
  // ignore the store) is what makes some histories invalid.
  void complete(std::size_t slot) {
    Op op = *slots_[slot].pending;
    slots_[slot].pending.reset();
    const int roll = below(ok_weight + info_weight + fail_weight);
    op.type = roll < ok_weight ? OpType::ok : roll < ok_weight + info_weight ? OpType::info : OpType::fail;
    const bool took_effect = op.type == OpType::ok || (op.type == OpType::info && chance(0.5));
    const bool faithful = chance(read_faithful_chance);
    const std::string_view name = model_.name;
    if (name == "kv") {
      if (store_.is_null()) store_ = json::object();
      const std::string held = store_.value(*op.key, std::string());
      if ((op.f == "get" || op.f == "read") && op.type == OpType::ok) op.value = faithful ? json(held) : random_get_result();
      else if (took_effect && (op.f == "put" || op.f == "write")) store_[*op.key] = op.value;
      else if (took_effect && op.f == "append") store_[*op.key] = held + op.value.get<std::string>();
    } else if (name == "multi-register") {
      if (store_.is_null()) store_ = json::object();
      json registers = store_;
      for (json& micro_op : op.value) {
        const std::string key = micro_op[1].dump();
        const bool read = micro_op[0] == "r" || micro_op[0] == "read";
        if (read && op.type == OpType::ok) micro_op[2] = faithful ? registers.value(key, json(nullptr)) : random_read_result();
        if (!read) registers[key] = micro_op[2];
      }
      if (took_effect) store_ = registers;
    } else if (name == "fifo-queue" || name == "unordered-queue") {
      if (store_.is_null()) store_ = json::array();
      if (op.f == "enqueue" && took_effect) store_.push_back(op.value);
      if (op.f == "dequeue") {
        const std::size_t taken = store_.empty() || name == "fifo-queue" ? 0 : static_cast<std::size_t>(below(static_cast<int>(store_.size())));
        if (op.type == OpType::ok) op.value = !faithful ? random_read_result() : store_.empty() ? json(nullptr) : store_[taken];
        if (took_effect && !store_.empty()) store_.erase(taken);
      }
    } else if (op.f == "read" && op.type == OpType::ok) {
      op.value = faithful ? store_ : random_read_result();
    } else if (took_effect && op.f == "write") {
      store_ = op.value;
    } else if (took_effect && op.f == "cas" && store_ == op.value[0]) {
      store_ = op.value[1];
    } else if (took_effect && op.f == "acquire") {
      store_ = true;
    } else if (took_effect && op.f == "release") {
      store_ = false;
    }
    if (op.type == OpType::info) slots_[slot].process = next_process_++;  // never invokes again
    ops_.push_back(std::move(op));
  }

  const Model& model_;
  std::mt19937_64 rng_;
  std::vector<Slot> slots_;
  std::vector<Op> ops_;
  std::int64_t next_process_ = 0;
  json store_ = nullptr;
};

// Half the histories start from nil, half from a value the ops also use.
json initial_value(const Model& model, std::uint64_t seed) {
  if (seed % 2 == 0 || model.name == "mutex" || model.name == "fifo-queue" || model.name == "unordered-queue") return nullptr;
  return model.name == "kv" ? json("a") : json(0);
}

std::string as_jsonl(const History& history) {
  std::ostringstream out;
  JsonlWriter writer(out);
  for (const Op& op : history.ops()) writer.write(op);
  return out.str();
}

std::optional<std::uint64_t> seed_from_environment() {
  const char* text = std::getenv("FAULTLINE_PROPERTY_SEED");
  if (text == nullptr || *text == '\0') return std::nullopt;
  return std::stoull(text);
}

struct Tally {
  int valid = 0;
  int invalid = 0;
  int disagreements = 0;
  std::string shown;  // the first disagreements, with how to rerun them
};

void compare_on_random_histories(const Model& model) {
  const std::optional<std::uint64_t> only_seed = seed_from_environment();
  const std::uint64_t first = only_seed.value_or(property_seed_first);
  const int histories = only_seed ? 1 : histories_per_model;
  Tally tally;
  for (int i = 0; i < histories; ++i) {
    const std::uint64_t seed = first + static_cast<std::uint64_t>(i);
    auto built = History::build(RandomHistory(model, seed).generate(), "seed " + std::to_string(seed));
    REQUIRE(built.has_value());
    const History& history = *built;
    const json initial = initial_value(model, seed);

    const Verdict expected = check_linearizability_brute_force(history, model, initial);
    (expected == Verdict::valid ? tally.valid : tally.invalid) += 1;

    LinearizabilityOptions options;
    options.model = &model;
    options.initial = initial;
    options.threads = 1;
    auto result = check_linearizability(history, options);
    const std::string fast = result ? std::string(to_string(result->verdict)) : "error: " + result.error().to_string();
    if (result && result->verdict == expected) continue;

    if (++tally.disagreements <= disagreements_shown_max) {
      tally.shown += "model " + std::string(model.name) + ", seed " + std::to_string(seed) + ", initial " +
                     initial.dump() + ": brute force says " + std::string(to_string(expected)) +
                     ", fast checker says " + fast + "\nrerun: FAULTLINE_PROPERTY_SEED=" + std::to_string(seed) +
                     " build/tests/checkers_test \"[property]\"\n" + as_jsonl(history) + "\n";
    }
  }
  // On stderr rather than in the assertion's message, which Catch would wrap mid-line.
  if (!tally.shown.empty()) std::cerr << tally.shown;
  INFO("model " << model.name << ": " << tally.valid << " valid, " << tally.invalid << " invalid, "
                << tally.disagreements << " disagreements (the first ones are on stderr)");
  CHECK(tally.disagreements == 0);
  if (!only_seed) {
    CHECK(tally.valid >= verdict_share_min * histories);
    CHECK(tally.invalid >= verdict_share_min * histories);
  }
}

}  // namespace

// One case per model, each as its own ctest test (keeping each one short).
TEST_CASE("property: the fast checker agrees with the brute force on a register", "[property]") {
  compare_on_random_histories(register_model);
}

TEST_CASE("property: the fast checker agrees with the brute force on a cas-register", "[property]") {
  compare_on_random_histories(cas_register_model);
}

TEST_CASE("property: the fast checker agrees with the brute force on a mutex", "[property]") {
  compare_on_random_histories(mutex_model);
}

TEST_CASE("property: the fast checker agrees with the brute force on kv", "[property]") {
  compare_on_random_histories(*find_model("kv"));
}

TEST_CASE("property: the fast checker agrees with the brute force on a multi-register", "[property]") {
  compare_on_random_histories(*find_model("multi-register"));
}

TEST_CASE("property: the fast checker agrees with the brute force on a fifo-queue", "[property]") {
  compare_on_random_histories(*find_model("fifo-queue"));
}

TEST_CASE("property: the fast checker agrees with the brute force on an unordered-queue", "[property]") {
  compare_on_random_histories(*find_model("unordered-queue"));
}

}  // namespace faultline
