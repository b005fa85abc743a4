#include "synthetic_transactions.h"

#include <algorithm>
#include <cassert>
#include <queue>
#include <random>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "history/jsonl.h"
#include "synthetic_time_model.h"
#include "random_choice.h"

namespace faultline {
namespace {

using namespace synthetic;  // the time model (synthetic_time_model.h)
constexpr double read_chance = 0.5;                 // of each micro-op; the rest append or write
constexpr double read_before_write_chance = 0.75;   // rw-register: a write that reads its key first

// The planted anomaly's transactions, in the order the planting client runs them.
enum class PlantStep : std::uint8_t { none, old_write, newer_write, stale_read, done };

struct MicroOp {
  enum class Kind : std::uint8_t { read, append, write } kind;
  std::int64_t key;
  std::int64_t value = 0;  // append: the element; write: the value
};

struct InFlightTxn {
  std::vector<MicroOp> micro_ops;
  std::vector<nlohmann::json> reads;  // per micro-op: what a read saw (null for the others)
  Outcome outcome = Outcome::ok;
  PlantStep plant_step = PlantStep::none;
  std::int64_t complete_ns = 0;

  bool may_take_effect() const { return outcome == Outcome::ok || outcome == Outcome::info_took_effect; }
};

struct Client {
  std::int64_t process = 0;
  bool process_has_invoked = false;
  InFlightTxn txn;
};

// What the store holds for one key: a list (list-append) or the last value written (rw-register).
struct KeyState {
  std::vector<std::int64_t> list;
  std::optional<std::int64_t> value;
};

class Simulation {
 public:
  Simulation(const SyntheticTransactionOptions& options, const SyntheticTransactionSink& emit)
      : options_(options),
        emit_(emit),
        random_(options.seed),
        normal_txns_(options.transactions - (options.plant == PlantedTransactionAnomaly::none ? 0 : planted_transaction_anomaly_txns)),
        plant_trigger_txns_(normal_txns_ / 2),
        clients_(static_cast<std::size_t>(options.processes)) {
    for (std::int64_t k = 0; k < synthetic_active_keys; ++k) active_keys_.push_back(next_key_++);
  }

  SyntheticTransactionSummary run() {
    for (std::uint32_t c = 0; c < clients_.size(); ++c) {
      clients_[c].process = next_process_++;
      schedule(between(0, think_time_max_ns), c, EventKind::start);
    }
    while (!events_.empty()) {
      const Event event = events_.top();
      events_.pop();
      switch (event.kind) {
        case EventKind::start: start(event.client, event.time_ns); break;
        case EventKind::take_effect: take_effect(event.client); break;
        case EventKind::complete: complete(event.client, event.time_ns); break;
      }
    }
    assert(summary_.transactions == options_.transactions);
    return summary_;
  }

 private:
  std::int64_t between(std::int64_t low, std::int64_t high) { return low + uniform_below(random_, high - low + 1); }
  bool chance(double p) { return static_cast<double>(uniform_below(random_, std::int64_t{1} << 53)) * 0x1.0p-53 < p; }

  void schedule(std::int64_t time_ns, std::uint32_t client, EventKind kind) {
    events_.push(Event{time_ns, next_sequence_++, client, kind});
  }

  void start(std::uint32_t c, std::int64_t now) {
    if (options_.plant != PlantedTransactionAnomaly::none && plant_step_ == PlantStep::none &&
        normal_txns_invoked_ >= plant_trigger_txns_) {
      planter_ = c;
      plant_key_ = next_key_++;  // a key no other transaction will touch
      plant_step_ = PlantStep::old_write;
    }
    if (planter_ == c && plant_step_ != PlantStep::done) {
      invoke(c, now, plant_txn());
      return;
    }
    if (normal_txns_invoked_ == normal_txns_) return;  // this client's work is done
    ++normal_txns_invoked_;
    invoke(c, now, random_txn());
  }

  // A key to write: one of the active keys, retired once it has taken its share of writes.
  std::int64_t key_to_write(std::size_t slot) {
    std::int64_t key = active_keys_[slot];
    if (++writes_of_[key] >= synthetic_writes_per_key_max) active_keys_[slot] = next_key_++;
    return key;
  }

  InFlightTxn random_txn() {
    InFlightTxn txn;
    const bool rw_register = options_.workload == TransactionWorkload::rw_register;
    for (std::int64_t m = between(1, synthetic_txn_length_max); m > 0; --m) {
      const auto slot = static_cast<std::size_t>(uniform_below(random_, synthetic_active_keys));
      if (chance(read_chance)) {
        txn.micro_ops.push_back({MicroOp::Kind::read, active_keys_[slot]});
        continue;
      }
      const std::int64_t key = key_to_write(slot);
      const std::int64_t value = ++last_value_of_[key];  // unique per key, from 1
      if (!rw_register) {
        txn.micro_ops.push_back({MicroOp::Kind::append, key, value});
        continue;
      }
      if (chance(read_before_write_chance)) txn.micro_ops.push_back({MicroOp::Kind::read, key});
      txn.micro_ops.push_back({MicroOp::Kind::write, key, value});
    }
    const double roll = static_cast<double>(uniform_below(random_, std::int64_t{1} << 53)) * 0x1.0p-53;
    if (roll < options_.indeterminate_fraction) {
      txn.outcome = chance(info_took_effect_chance) ? Outcome::info_took_effect : Outcome::info_no_effect;
    } else if (roll < options_.indeterminate_fraction + options_.fail_fraction) {
      txn.outcome = Outcome::fail;
    }
    return txn;
  }

  // The planted transactions always end ok: an anomaly hidden behind an info op would be none.
  InFlightTxn plant_txn() {
    InFlightTxn txn;
    const bool rw_register = options_.workload == TransactionWorkload::rw_register;
    const MicroOp::Kind write = rw_register ? MicroOp::Kind::write : MicroOp::Kind::append;
    txn.plant_step = plant_step_;
    switch (plant_step_) {
      case PlantStep::old_write:
        txn.micro_ops.push_back({write, plant_key_, 1});
        plant_step_ = PlantStep::newer_write;
        break;
      case PlantStep::newer_write:
        if (rw_register) txn.micro_ops.push_back({MicroOp::Kind::read, plant_key_});
        txn.micro_ops.push_back({write, plant_key_, 2});
        plant_step_ = PlantStep::stale_read;
        break;
      default:
        assert(plant_step_ == PlantStep::stale_read);
        txn.micro_ops.push_back({MicroOp::Kind::read, plant_key_});
        plant_step_ = PlantStep::done;
        break;
    }
    return txn;
  }

  void invoke(std::uint32_t c, std::int64_t now, InFlightTxn txn) {
    Client& client = clients_[c];
    const bool indeterminate = txn.outcome == Outcome::info_took_effect || txn.outcome == Outcome::info_no_effect;
    txn.complete_ns = now + (indeterminate ? info_timeout_ns : between(op_latency_min_ns, op_latency_max_ns));
    txn.reads.assign(txn.micro_ops.size(), nullptr);
    if (!client.process_has_invoked) {
      client.process_has_invoked = true;
      ++summary_.processes;
    }
    client.txn = std::move(txn);
    ++summary_.transactions;
    emit(now, client.process, OpType::invoke, value_json(client.txn, false));
    if (client.txn.may_take_effect()) schedule(between(now, client.txn.complete_ns), c, EventKind::take_effect);
    else schedule(client.txn.complete_ns, c, EventKind::complete);
  }

  // The whole transaction, atomically: the store's serial order is the order of these events.
  void take_effect(std::uint32_t c) {
    InFlightTxn& txn = clients_[c].txn;
    for (std::size_t m = 0; m < txn.micro_ops.size(); ++m) {
      const MicroOp& micro_op = txn.micro_ops[m];
      KeyState& state = store_[micro_op.key];
      switch (micro_op.kind) {
        case MicroOp::Kind::read:
          if (options_.workload == TransactionWorkload::list_append) txn.reads[m] = state.list;
          else txn.reads[m] = state.value ? nlohmann::json(*state.value) : nlohmann::json(nullptr);
          break;
        case MicroOp::Kind::append: state.list.push_back(micro_op.value); break;
        case MicroOp::Kind::write: state.value = micro_op.value; break;
      }
    }
    if (txn.plant_step == PlantStep::stale_read && options_.plant == PlantedTransactionAnomaly::stale_read) {
      // The state before the planter's second write: it completed before this read began.
      txn.reads[0] = options_.workload == TransactionWorkload::list_append ? nlohmann::json::array({1}) : nlohmann::json(1);
    }
    schedule(txn.complete_ns, c, EventKind::complete);
  }

  void complete(std::uint32_t c, std::int64_t now) {
    Client& client = clients_[c];
    const InFlightTxn& txn = client.txn;
    OpType type = OpType::ok;
    switch (txn.outcome) {
      case Outcome::ok: break;
      case Outcome::fail: type = OpType::fail; break;
      case Outcome::info_took_effect:
      case Outcome::info_no_effect: type = OpType::info; break;
    }
    const std::int64_t index = emit(now, client.process, type, value_json(txn, type == OpType::ok));
    if (txn.plant_step == PlantStep::stale_read) {
      summary_.anomaly_index = index;
      summary_.anomaly_key = key_name(plant_key_);
    }
    if (type == OpType::ok) ++summary_.ok;
    if (type == OpType::fail) ++summary_.fail;
    if (type == OpType::info) {
      ++summary_.info;
      client.process = next_process_++;  // a process whose outcome is unknown never invokes again
      client.process_has_invoked = false;
    }
    schedule(now + between(0, think_time_max_ns), c, EventKind::start);
  }

  // The micro-ops as Elle writes them; reads hold what they saw only in an ok completion.
  nlohmann::json value_json(const InFlightTxn& txn, bool with_reads) const {
    nlohmann::json value = nlohmann::json::array();
    for (std::size_t m = 0; m < txn.micro_ops.size(); ++m) {
      const MicroOp& micro_op = txn.micro_ops[m];
      switch (micro_op.kind) {
        case MicroOp::Kind::read:
          value.push_back({"r", key_name(micro_op.key), with_reads ? txn.reads[m] : nlohmann::json(nullptr)});
          break;
        case MicroOp::Kind::append: value.push_back({"append", key_name(micro_op.key), micro_op.value}); break;
        case MicroOp::Kind::write: value.push_back({"w", key_name(micro_op.key), micro_op.value}); break;
      }
    }
    return value;
  }

  static std::string key_name(std::int64_t key) { return "k" + std::to_string(key); }

  // Returns the op's index.
  std::int64_t emit(std::int64_t now, std::int64_t process, OpType type, nlohmann::json value) {
    // Simulated times can tie; the history's times stay strictly increasing.
    last_time_ns_ = std::max(now, last_time_ns_ + 1);
    Op op;
    op.index = next_index_++;
    op.time_ns = last_time_ns_;
    op.process = process;
    op.type = type;
    op.f = "txn";
    op.value = std::move(value);
    emit_(op);
    return op.index;
  }

  const SyntheticTransactionOptions& options_;
  const SyntheticTransactionSink& emit_;
  std::mt19937_64 random_;
  const std::int64_t normal_txns_;
  const std::int64_t plant_trigger_txns_;  // halfway, so that the anomaly has history on both sides
  std::vector<Client> clients_;
  std::vector<std::int64_t> active_keys_;
  std::unordered_map<std::int64_t, std::int64_t> writes_of_;      // key -> appends or writes invoked
  std::unordered_map<std::int64_t, std::int64_t> last_value_of_;  // key -> its last element or value
  std::unordered_map<std::int64_t, KeyState> store_;
  std::priority_queue<Event, std::vector<Event>, LaterEvent> events_;
  std::uint64_t next_sequence_ = 0;
  std::int64_t next_key_ = 0;
  std::int64_t next_process_ = 0;
  std::int64_t next_index_ = 0;
  std::int64_t last_time_ns_ = -1;
  std::int64_t normal_txns_invoked_ = 0;
  PlantStep plant_step_ = PlantStep::none;
  std::optional<std::uint32_t> planter_;
  std::int64_t plant_key_ = 0;
  SyntheticTransactionSummary summary_;
};



}  // namespace

std::expected<void, std::string> validate_synthetic_transaction_options(const SyntheticTransactionOptions& options) {
  auto error = [](std::string message) { return std::unexpected(std::move(message)); };
  if (options.transactions < 0) return error("--transactions must be at least 0, got " + std::to_string(options.transactions));
  if (options.plant != PlantedTransactionAnomaly::none && options.transactions < planted_transaction_anomaly_txns)
    return error("--anomaly " + std::string(to_string(options.plant)) + " needs --transactions of at least " +
                 std::to_string(planted_transaction_anomaly_txns) + " (the anomaly takes that many), got " +
                 std::to_string(options.transactions));
  if (options.processes < 1 || options.processes > synthetic_processes_max)
    return error("--processes must be between 1 and " + std::to_string(synthetic_processes_max) + ", got " +
                 std::to_string(options.processes));
  if (auto fractions = validate_outcome_fractions(options.indeterminate_fraction, options.fail_fraction); !fractions)
    return fractions;
  return {};
}

SyntheticTransactionSummary generate_synthetic_transactions(const SyntheticTransactionOptions& options,
                                                            const SyntheticTransactionSink& emit) {
  assert(validate_synthetic_transaction_options(options).has_value());
  return Simulation(options, emit).run();
}

SyntheticTransactionSummary write_synthetic_transactions_jsonl(const SyntheticTransactionOptions& options, std::ostream& out) {
  JsonlWriter writer(out);
  return generate_synthetic_transactions(options, [&writer](const Op& op) { writer.write(op); });
}

std::optional<TransactionWorkload> parse_transaction_workload(std::string_view text) {
  if (text == "list-append") return TransactionWorkload::list_append;
  if (text == "rw-register") return TransactionWorkload::rw_register;
  return std::nullopt;
}

std::string_view to_string(TransactionWorkload workload) {
  switch (workload) {
    case TransactionWorkload::list_append: return "list-append";
    case TransactionWorkload::rw_register: return "rw-register";
  }
  return "?";
}

std::optional<PlantedTransactionAnomaly> parse_planted_transaction_anomaly(std::string_view text) {
  if (text == "none") return PlantedTransactionAnomaly::none;
  if (text == "stale-read") return PlantedTransactionAnomaly::stale_read;
  return std::nullopt;
}

std::string_view to_string(PlantedTransactionAnomaly plant) {
  switch (plant) {
    case PlantedTransactionAnomaly::none: return "none";
    case PlantedTransactionAnomaly::stale_read: return "stale-read";
  }
  return "?";
}

}  // namespace faultline
