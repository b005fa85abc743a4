#include "synthetic_models.h"

#include <cassert>
#include <deque>
#include <map>
#include <queue>
#include <random>
#include <unordered_map>
#include <vector>

#include "history/jsonl.h"
#include "random_choice.h"
#include "synthetic_time_model.h"

namespace faultline {
namespace {

using namespace synthetic;  // the time model (synthetic_time_model.h)
using nlohmann::json;

// The op mix. kv: as in Porcupine's c50 logs, about 45% gets, 50% appends and 5% puts (which
// keep strings from growing forever).
constexpr double kv_get_chance = 0.45;
constexpr double kv_put_chance = 0.05;
constexpr double micro_op_read_chance = 0.5;  // multi-register; the rest write
// fifo-queue; the rest dequeue. Below a half, so that the queue stays short: the order of values
// enqueued concurrently is only settled when they are dequeued, and a long queue of unsettled
// orders is a search over their permutations (for any checker).
constexpr double enqueue_chance = 0.4;

// The planted anomaly's ops, in the order the planting client performs them.
enum class PlantStep : std::uint8_t { none, first_write, second_write, anomalous_read, done };

struct InFlightOp {
  std::string f;
  std::optional<std::string> key;  // kv
  json value;                      // as invoked
  json result;                     // what an ok completion carries
  Outcome outcome = Outcome::ok;
  PlantStep plant_step = PlantStep::none;
  std::int64_t complete_ns = 0;
  bool may_take_effect() const { return outcome == Outcome::ok || outcome == Outcome::info_took_effect; }
};

struct Client {
  std::int64_t process = 0;
  bool process_has_invoked = false;
  InFlightOp op;
};

class Simulation {
 public:
  Simulation(const SyntheticModelOptions& options, const std::function<void(const Op&)>& emit)
      : options_(options),
        emit_(emit),
        random_(options.seed),
        normal_ops_(options.ops - plant_ops(options.plant)),
        plant_trigger_ops_(normal_ops_ / 2),
        clients_(static_cast<std::size_t>(options.clients)) {}

  static std::int64_t plant_ops(PlantedModelAnomaly plant) {
    switch (plant) {
      case PlantedModelAnomaly::none: return 0;
      case PlantedModelAnomaly::stale_read: return 3;
      case PlantedModelAnomaly::duplicate_dequeue: return 1;
    }
    return 0;
  }

  SyntheticModelSummary run() {
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
    assert(summary_.ops == options_.ops);
    return summary_;
  }

 private:
  std::int64_t between(std::int64_t low, std::int64_t high) { return low + uniform_below(random_, high - low + 1); }
  bool chance(double p) { return static_cast<double>(uniform_below(random_, std::int64_t{1} << 53)) * 0x1.0p-53 < p; }

  void schedule(std::int64_t time_ns, std::uint32_t client, EventKind kind) {
    events_.push(Event{time_ns, next_sequence_++, client, kind});
  }

  void start(std::uint32_t c, std::int64_t now) {
    if (options_.plant != PlantedModelAnomaly::none && plant_step_ == PlantStep::none &&
        normal_ops_invoked_ >= plant_trigger_ops_ && plant_can_start()) {
      planter_ = c;
      plant_step_ = options_.plant == PlantedModelAnomaly::stale_read ? PlantStep::first_write : PlantStep::anomalous_read;
    }
    if (planter_ == c && plant_step_ != PlantStep::done) {
      invoke(c, now, plant_op(c));
      return;
    }
    if (normal_ops_invoked_ == normal_ops_) return;  // this client's work is done
    ++normal_ops_invoked_;
    invoke(c, now, random_op(c));
  }

  // A duplicate dequeue needs a value some dequeue has taken and returned already.
  bool plant_can_start() const { return options_.plant != PlantedModelAnomaly::duplicate_dequeue || last_dequeued_; }

  InFlightOp random_op(std::uint32_t c) {
    InFlightOp op;
    switch (options_.model) {
      case SyntheticModel::kv: {
        op.key = std::to_string(uniform_below(random_, options_.keys));
        if (chance(kv_get_chance)) {
          op.f = "get";
        } else {
          op.f = chance(kv_put_chance / (1 - kv_get_chance)) ? "put" : "append";
          op.value = fresh_string(c);
        }
        break;
      }
      case SyntheticModel::multi_register: {
        op.f = "txn";
        op.value = json::array();
        for (std::int64_t i = 0, n = between(1, synthetic_txn_micro_ops_max); i < n; ++i) {
          const std::int64_t k = uniform_below(random_, options_.keys);
          op.value.push_back(chance(micro_op_read_chance) ? json::array({"r", k, nullptr}) : json::array({"w", k, next_value_++}));
        }
        break;
      }
      case SyntheticModel::fifo_queue:
        if (chance(enqueue_chance)) {
          op.f = "enqueue";
          op.value = next_value_++;
        } else {
          op.f = "dequeue";
        }
        break;
    }
    const double roll = static_cast<double>(uniform_below(random_, std::int64_t{1} << 53)) * 0x1.0p-53;
    if (roll < options_.indeterminate_fraction) {
      op.outcome = chance(info_took_effect_chance) ? Outcome::info_took_effect : Outcome::info_no_effect;
    } else if (roll < options_.indeterminate_fraction + options_.fail_fraction) {
      op.outcome = Outcome::fail;
    }
    return op;
  }

  // "x <client> <n> y", as Porcupine's kv histories write, unique in the whole history.
  json fresh_string(std::uint32_t c) { return "x " + std::to_string(c) + " " + std::to_string(next_value_++) + " y"; }

  // The planted ops always end ok: an anomaly hidden behind an info op would be no anomaly.
  // They use a key (register) that no other op touches: kv key "<keys>", register <keys>.
  InFlightOp plant_op(std::uint32_t c) {
    InFlightOp op;
    op.plant_step = plant_step_;
    const std::int64_t plant_key = options_.keys;
    if (options_.model == SyntheticModel::kv) {
      op.key = std::to_string(plant_key);
      op.f = plant_step_ == PlantStep::anomalous_read ? "get" : "append";
      if (op.f == "append") op.value = fresh_string(c);
    } else if (options_.model == SyntheticModel::multi_register) {
      op.f = "txn";
      op.value = json::array({plant_step_ == PlantStep::anomalous_read ? json::array({"r", plant_key, nullptr})
                                                                        : json::array({"w", plant_key, next_value_++})});
    } else {
      op.f = "dequeue";
    }
    plant_step_ = plant_step_ == PlantStep::first_write    ? PlantStep::second_write
                  : plant_step_ == PlantStep::second_write ? PlantStep::anomalous_read
                                                           : PlantStep::done;
    return op;
  }

  void invoke(std::uint32_t c, std::int64_t now, InFlightOp op) {
    Client& client = clients_[c];
    const bool indeterminate = op.outcome == Outcome::info_took_effect || op.outcome == Outcome::info_no_effect;
    op.complete_ns = now + (indeterminate ? info_timeout_ns : between(op_latency_min_ns, op_latency_max_ns));
    if (!client.process_has_invoked) {
      client.process_has_invoked = true;
      ++summary_.processes;
    }
    client.op = op;
    ++summary_.ops;
    emit(now, client.process, OpType::invoke, client.op, client.op.value);
    if (op.may_take_effect()) schedule(between(now, op.complete_ns), c, EventKind::take_effect);
    else schedule(op.complete_ns, c, EventKind::complete);
  }

  void take_effect(std::uint32_t c) {
    InFlightOp& op = clients_[c].op;
    op.result = op.value;
    if (op.f == "get") {
      std::string& held = kv_[*op.key];
      // Stale: the string before the planter's second append (its first append alone).
      op.result = op.plant_step == PlantStep::anomalous_read ? json(planted_first_write_.get<std::string>()) : json(held);
    } else if (op.f == "put" || op.f == "append") {
      std::string& held = kv_[*op.key];
      held = op.f == "put" ? op.value.get<std::string>() : held + op.value.get<std::string>();
      if (op.plant_step == PlantStep::first_write) planted_first_write_ = held;
    } else if (op.f == "txn") {
      for (json& micro_op : op.result) {
        const std::int64_t k = micro_op[1].get<std::int64_t>();
        if (micro_op[0] == "w") {
          registers_[k] = micro_op[2];
          if (op.plant_step == PlantStep::first_write) planted_first_write_ = micro_op[2];
        } else {
          auto it = registers_.find(k);
          micro_op[2] = op.plant_step == PlantStep::anomalous_read ? planted_first_write_
                        : it == registers_.end()                  ? json(nullptr)
                                                                  : it->second;
        }
      }
    } else if (op.f == "enqueue") {
      queue_.push_back(op.value.get<std::int64_t>());
    } else if (op.plant_step == PlantStep::anomalous_read) {
      op.result = *last_dequeued_;  // delivered again; the queue is left as it was
    } else if (queue_.empty()) {
      op.result = nullptr;
    } else {
      op.result = queue_.front();
      queue_.pop_front();
    }
    schedule(op.complete_ns, c, EventKind::complete);
  }

  void complete(std::uint32_t c, std::int64_t now) {
    Client& client = clients_[c];
    const InFlightOp& op = client.op;
    const OpType type = op.outcome == Outcome::ok ? OpType::ok : op.outcome == Outcome::fail ? OpType::fail : OpType::info;
    const std::int64_t index = emit(now, client.process, type, op, type == OpType::ok ? op.result : op.value);
    if (op.plant_step == PlantStep::anomalous_read) summary_.anomaly_index = index;
    else if (type == OpType::ok && op.f == "dequeue" && !op.result.is_null()) last_dequeued_ = op.result;
    if (type == OpType::ok) ++summary_.ok;
    if (type == OpType::fail) ++summary_.fail;
    if (type == OpType::info) {
      ++summary_.info;
      client.process = next_process_++;  // a process whose outcome is unknown never invokes again
      client.process_has_invoked = false;
    }
    schedule(now + between(0, think_time_max_ns), c, EventKind::start);
  }

  // Returns the op's index.
  std::int64_t emit(std::int64_t now, std::int64_t process, OpType type, const InFlightOp& in_flight, json value) {
    // Simulated times can tie; the history's times stay strictly increasing.
    last_time_ns_ = std::max(now, last_time_ns_ + 1);
    Op op;
    op.index = next_index_++;
    op.time_ns = last_time_ns_;
    op.process = process;
    op.type = type;
    op.f = in_flight.f;
    op.key = in_flight.key;
    op.value = std::move(value);
    emit_(op);
    return op.index;
  }

  const SyntheticModelOptions& options_;
  const std::function<void(const Op&)>& emit_;
  std::mt19937_64 random_;
  const std::int64_t normal_ops_;
  const std::int64_t plant_trigger_ops_;  // halfway, so that the anomaly has history on both sides
  std::vector<Client> clients_;
  std::priority_queue<Event, std::vector<Event>, LaterEvent> events_;
  std::unordered_map<std::string, std::string> kv_;
  std::map<std::int64_t, json> registers_;
  std::deque<std::int64_t> queue_;
  std::uint64_t next_sequence_ = 0;
  std::int64_t next_process_ = 0;
  std::int64_t next_value_ = 0;
  std::int64_t next_index_ = 0;
  std::int64_t last_time_ns_ = -1;
  std::int64_t normal_ops_invoked_ = 0;
  PlantStep plant_step_ = PlantStep::none;
  std::optional<std::uint32_t> planter_;
  json planted_first_write_;              // kv: the planted key's string after the first append
  std::optional<json> last_dequeued_;     // the value of the last ok dequeue completed
  SyntheticModelSummary summary_;
};

}  // namespace

std::expected<void, std::string> validate_synthetic_model_options(const SyntheticModelOptions& options) {
  auto error = [](std::string message) { return std::unexpected(std::move(message)); };
  const std::int64_t planted = Simulation::plant_ops(options.plant);
  if (options.ops < planted)
    return error("--ops must be at least " + std::to_string(planted) + (planted > 0 ? " (the planted anomaly takes that many)" : "") +
                 ", got " + std::to_string(options.ops));
  if (options.keys < 1 || options.keys > synthetic_model_keys_max)
    return error("--keys must be between 1 and " + std::to_string(synthetic_model_keys_max) + ", got " + std::to_string(options.keys));
  if (options.clients < 1 || options.clients > synthetic_model_clients_max)
    return error("--clients must be between 1 and " + std::to_string(synthetic_model_clients_max) + ", got " +
                 std::to_string(options.clients));
  if (auto fractions = validate_outcome_fractions(options.indeterminate_fraction, options.fail_fraction); !fractions)
    return fractions;
  return {};
}

SyntheticModelSummary generate_synthetic_model_history(const SyntheticModelOptions& options,
                                                       const std::function<void(const Op&)>& emit) {
  assert(validate_synthetic_model_options(options).has_value());
  return Simulation(options, emit).run();
}

SyntheticModelSummary write_synthetic_model_history_jsonl(const SyntheticModelOptions& options, std::ostream& out) {
  JsonlWriter writer(out);
  return generate_synthetic_model_history(options, [&writer](const Op& op) { writer.write(op); });
}

std::optional<SyntheticModel> parse_synthetic_model(std::string_view text) {
  if (text == "kv") return SyntheticModel::kv;
  if (text == "multi-register") return SyntheticModel::multi_register;
  if (text == "fifo-queue") return SyntheticModel::fifo_queue;
  return std::nullopt;
}

std::string_view to_string(SyntheticModel model) {
  switch (model) {
    case SyntheticModel::kv: return "kv";
    case SyntheticModel::multi_register: return "multi-register";
    case SyntheticModel::fifo_queue: return "fifo-queue";
  }
  return "?";
}

std::optional<PlantedModelAnomaly> parse_planted_model_anomaly(std::string_view text, SyntheticModel model) {
  if (text == "none") return PlantedModelAnomaly::none;
  if (text == "stale-read" && model != SyntheticModel::fifo_queue) return PlantedModelAnomaly::stale_read;
  if (text == "duplicate-dequeue" && model == SyntheticModel::fifo_queue) return PlantedModelAnomaly::duplicate_dequeue;
  return std::nullopt;
}

std::string_view to_string(PlantedModelAnomaly plant) {
  switch (plant) {
    case PlantedModelAnomaly::none: return "none";
    case PlantedModelAnomaly::stale_read: return "stale-read";
    case PlantedModelAnomaly::duplicate_dequeue: return "duplicate-dequeue";
  }
  return "?";
}

}  // namespace faultline
