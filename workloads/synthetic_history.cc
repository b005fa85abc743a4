#include "synthetic_history.h"

#include <algorithm>
#include <cassert>
#include <queue>
#include <sstream>
#include <vector>

#include "history/jsonl.h"
#include "synthetic_time_model.h"

namespace faultline {
namespace {

using namespace synthetic;  // the time model (synthetic_time_model.h)

constexpr std::int64_t nil_value = -1;  // what a register holds before its first write

// splitmix64, written out rather than <random>'s distributions (whose results differ between
// standard libraries), so that a seed names the same history everywhere.
class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by multiply-shift; the bias, below n / 2^64, is of no consequence here.
  std::int64_t below(std::int64_t n) {
    return static_cast<std::int64_t>((static_cast<unsigned __int128>(next()) * static_cast<std::uint64_t>(n)) >> 64);
  }
  std::int64_t between(std::int64_t low, std::int64_t high) { return low + below(high - low + 1); }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // uniform in [0, 1)
  bool chance(double p) { return unit() < p; }

 private:
  std::uint64_t state_;
};

enum class Function : std::uint8_t { read, write, cas };
// The planted anomaly's ops, in the order the planting client performs them.
enum class PlantStep : std::uint8_t { none, old_write, newer_write, anomalous_read, done };

struct InFlightOp {
  Function f = Function::read;
  std::int64_t key = 0;
  std::int64_t a = nil_value;  // write: the value; cas: the expected value
  std::int64_t b = nil_value;  // cas: the new value
  Outcome outcome = Outcome::ok;
  PlantStep plant_step = PlantStep::none;
  std::int64_t complete_ns = 0;
  std::int64_t read_result = nil_value;
  bool cas_compare_failed = false;

  bool mutates() const { return f != Function::read; }
  bool may_take_effect() const { return outcome == Outcome::ok || outcome == Outcome::info_took_effect; }
};

struct Client {
  std::int64_t process = 0;
  bool process_has_invoked = false;
  InFlightOp op;
};

nlohmann::json value_json(std::int64_t value) { return value == nil_value ? nlohmann::json(nullptr) : nlohmann::json(value); }

class Simulation {
 public:
  Simulation(const SyntheticHistoryOptions& options, const SyntheticOpSink& emit)
      : options_(options),
        emit_(emit),
        random_(options.seed),
        planted_value_(options.values),
        normal_ops_(options.ops - (options.plant == PlantedAnomaly::none ? 0 : planted_anomaly_ops)),
        plant_trigger_ops_(normal_ops_ / 2),
        store_(static_cast<std::size_t>(options.keys), nil_value),
        effects_pending_(static_cast<std::size_t>(options.keys), 0),
        clients_(static_cast<std::size_t>(options.clients)) {}

  SyntheticHistorySummary run() {
    for (std::uint32_t c = 0; c < clients_.size(); ++c) {
      clients_[c].process = next_process_++;
      schedule(random_.between(0, think_time_max_ns), c, EventKind::start);
    }
    while (!events_.empty()) {
      const Event event = events_.top();
      events_.pop();
      switch (event.kind) {
        case EventKind::start: start(event.client, event.time_ns); break;
        case EventKind::take_effect: take_effect(event.client, event.time_ns); break;
        case EventKind::complete: complete(event.client, event.time_ns); break;
      }
    }
    assert(summary_.ops == options_.ops);
    return summary_;
  }

 private:
  void schedule(std::int64_t time_ns, std::uint32_t client, EventKind kind) {
    events_.push(Event{time_ns, next_sequence_++, client, kind});
  }

  void start(std::uint32_t c, std::int64_t now) {
    const bool plant_wanted = options_.plant != PlantedAnomaly::none;
    if (plant_wanted && plant_step_ == PlantStep::none && normal_ops_invoked_ >= plant_trigger_ops_) {
      planter_ = c;
      plant_key_ = random_.below(options_.keys);
      plant_step_ = PlantStep::old_write;
      plant_key_reserved_ = true;
    }
    if (planter_ == c && plant_step_ != PlantStep::done) {
      start_plant_step(c, now);
      return;
    }
    if (normal_ops_invoked_ == normal_ops_) return;  // this client's work is done
    ++normal_ops_invoked_;
    invoke(c, now, random_op());
  }

  InFlightOp random_op() {
    InFlightOp op;
    op.key = random_.below(options_.keys);
    const std::int64_t functions = options_.workload == SyntheticWorkload::cas_register ? 3 : 2;
    op.f = static_cast<Function>(random_.below(functions));
    // While an anomaly is being planted only the planting client changes its key: any other
    // write could hide a lost write.
    if (plant_key_reserved_ && op.key == plant_key_) op.f = Function::read;
    if (op.f == Function::write) op.a = random_.below(options_.values);
    if (op.f == Function::cas) {
      op.a = random_.below(options_.values);
      op.b = random_.below(options_.values);
    }
    const double roll = random_.unit();
    if (roll < options_.indeterminate_fraction) {
      op.outcome = random_.chance(info_took_effect_chance) ? Outcome::info_took_effect : Outcome::info_no_effect;
    } else if (roll < options_.indeterminate_fraction + options_.fail_fraction) {
      op.outcome = Outcome::fail;
    }
    return op;
  }

  // The planted ops always end ok: an anomaly hidden behind an info op would be no anomaly.
  void start_plant_step(std::uint32_t c, std::int64_t now) {
    if (plant_step_ == PlantStep::old_write && effects_pending_[static_cast<std::size_t>(plant_key_)] > 0) {
      // Writes invoked before the key was reserved could still land after the old write.
      schedule(now + random_.between(1, think_time_max_ns), c, EventKind::start);
      return;
    }
    InFlightOp op;
    op.key = plant_key_;
    op.plant_step = plant_step_;
    switch (plant_step_) {
      case PlantStep::old_write:
        op.f = Function::write;
        op.a = planted_value_;
        plant_step_ = PlantStep::newer_write;
        break;
      case PlantStep::newer_write:
        op.f = Function::write;
        op.a = random_.below(options_.values);
        plant_step_ = PlantStep::anomalous_read;
        break;
      default:
        assert(plant_step_ == PlantStep::anomalous_read);
        op.f = Function::read;
        plant_step_ = PlantStep::done;
        break;
    }
    invoke(c, now, op);
  }

  void invoke(std::uint32_t c, std::int64_t now, InFlightOp op) {
    Client& client = clients_[c];
    const bool indeterminate = op.outcome == Outcome::info_took_effect || op.outcome == Outcome::info_no_effect;
    op.complete_ns = now + (indeterminate ? info_timeout_ns : random_.between(op_latency_min_ns, op_latency_max_ns));
    if (op.mutates() && op.may_take_effect()) ++effects_pending_[static_cast<std::size_t>(op.key)];
    if (!client.process_has_invoked) {
      client.process_has_invoked = true;
      ++summary_.processes;
    }
    client.op = op;
    ++summary_.ops;
    emit(now, client.process, OpType::invoke, op, invocation_value(op));
    if (op.may_take_effect()) schedule(random_.between(now, op.complete_ns), c, EventKind::take_effect);
    else schedule(op.complete_ns, c, EventKind::complete);
  }

  void take_effect(std::uint32_t c, std::int64_t now) {
    InFlightOp& op = clients_[c].op;
    std::int64_t& held = store_[static_cast<std::size_t>(op.key)];
    switch (op.f) {
      case Function::read:
        op.read_result = held;
        if (op.plant_step == PlantStep::anomalous_read && options_.plant == PlantedAnomaly::stale_read) {
          op.read_result = planted_value_;
        }
        if (op.plant_step == PlantStep::anomalous_read) {
          // The reservation kept every other write off the key, so the lost write shows.
          assert(op.read_result == planted_value_);
          plant_key_reserved_ = false;
        }
        break;
      case Function::write:
        if (!(op.plant_step == PlantStep::newer_write && options_.plant == PlantedAnomaly::lost_write)) held = op.a;
        break;
      case Function::cas:
        if (held == op.a) held = op.b;
        else op.cas_compare_failed = true;
        break;
    }
    if (op.mutates()) --effects_pending_[static_cast<std::size_t>(op.key)];
    schedule(op.complete_ns, c, EventKind::complete);
  }

  void complete(std::uint32_t c, std::int64_t now) {
    Client& client = clients_[c];
    const InFlightOp& op = client.op;
    OpType type = OpType::ok;
    nlohmann::json value = invocation_value(op);
    switch (op.outcome) {
      case Outcome::ok:
        if (op.cas_compare_failed) type = OpType::fail;
        else if (op.f == Function::read) value = value_json(op.read_result);
        break;
      case Outcome::fail: type = OpType::fail; break;
      case Outcome::info_took_effect:
      case Outcome::info_no_effect: type = OpType::info; break;
    }
    const std::int64_t index = emit(now, client.process, type, op, std::move(value));
    if (op.plant_step == PlantStep::anomalous_read) {
      summary_.anomaly_index = index;
      summary_.anomaly_key = key_name(op.key);
    }
    if (type == OpType::ok) ++summary_.ok;
    if (type == OpType::fail) ++summary_.fail;
    if (type == OpType::info) {
      ++summary_.info;
      client.process = next_process_++;  // a process whose outcome is unknown never invokes again
      client.process_has_invoked = false;
    }
    schedule(now + random_.between(0, think_time_max_ns), c, EventKind::start);
  }

  static nlohmann::json invocation_value(const InFlightOp& op) {
    switch (op.f) {
      case Function::read: return nullptr;
      case Function::write: return op.a;
      case Function::cas: return nlohmann::json::array({op.a, op.b});
    }
    return nullptr;
  }

  static std::string key_name(std::int64_t key) { return "k" + std::to_string(key); }

  // Returns the op's index.
  std::int64_t emit(std::int64_t now, std::int64_t process, OpType type, const InFlightOp& in_flight,
                    nlohmann::json value) {
    static constexpr std::string_view function_names[] = {"read", "write", "cas"};
    // Simulated times can tie; the history's times stay strictly increasing.
    last_time_ns_ = std::max(now, last_time_ns_ + 1);
    Op op;
    op.index = next_index_++;
    op.time_ns = last_time_ns_;
    op.process = process;
    op.type = type;
    op.f = function_names[static_cast<std::size_t>(in_flight.f)];
    op.key = key_name(in_flight.key);
    op.value = std::move(value);
    emit_(op);
    return op.index;
  }

  const SyntheticHistoryOptions& options_;
  const SyntheticOpSink& emit_;
  Random random_;
  const std::int64_t planted_value_;  // outside 0..values-1: only the planted old write writes it
  const std::int64_t normal_ops_;
  const std::int64_t plant_trigger_ops_;  // halfway, so that the anomaly has history on both sides
  std::vector<std::int64_t> store_;            // key -> value held
  std::vector<std::int32_t> effects_pending_;  // key -> writes and cas invoked that may still take effect
  std::vector<Client> clients_;
  std::priority_queue<Event, std::vector<Event>, LaterEvent> events_;
  std::uint64_t next_sequence_ = 0;
  std::int64_t next_process_ = 0;
  std::int64_t next_index_ = 0;
  std::int64_t last_time_ns_ = -1;
  std::int64_t normal_ops_invoked_ = 0;
  PlantStep plant_step_ = PlantStep::none;
  std::optional<std::uint32_t> planter_;
  std::int64_t plant_key_ = 0;
  bool plant_key_reserved_ = false;  // from the plant's start until its read takes effect
  SyntheticHistorySummary summary_;
};


// 0.05 rather than std::to_string's 0.050000.

}  // namespace

std::expected<void, std::string> validate_synthetic_history_options(const SyntheticHistoryOptions& options) {
  auto error = [](std::string message) { return std::unexpected(std::move(message)); };
  if (options.ops < 0) return error("--ops must be at least 0, got " + std::to_string(options.ops));
  if (options.plant != PlantedAnomaly::none && options.ops < planted_anomaly_ops) {
    return error("--plant " + std::string(to_string(options.plant)) + " needs --ops of at least " +
                 std::to_string(planted_anomaly_ops) + " (the anomaly takes that many ops), got " +
                 std::to_string(options.ops));
  }
  if (options.keys < 1 || options.keys > synthetic_keys_max) {
    return error("--keys must be between 1 and " + std::to_string(synthetic_keys_max) + ", got " +
                 std::to_string(options.keys));
  }
  if (options.clients < 1 || options.clients > synthetic_clients_max) {
    return error("--clients must be between 1 and " + std::to_string(synthetic_clients_max) + ", got " +
                 std::to_string(options.clients));
  }
  if (options.values < 1 || options.values > synthetic_values_max) {
    return error("--values must be between 1 and " + std::to_string(synthetic_values_max) + ", got " +
                 std::to_string(options.values));
  }
  if (auto fractions = validate_outcome_fractions(options.indeterminate_fraction, options.fail_fraction); !fractions)
    return fractions;
  return {};
}

SyntheticHistorySummary generate_synthetic_history(const SyntheticHistoryOptions& options, const SyntheticOpSink& emit) {
  assert(validate_synthetic_history_options(options).has_value());
  return Simulation(options, emit).run();
}

SyntheticHistorySummary write_synthetic_history_jsonl(const SyntheticHistoryOptions& options, std::ostream& out) {
  JsonlWriter writer(out);
  return generate_synthetic_history(options, [&writer](const Op& op) { writer.write(op); });
}

std::optional<SyntheticWorkload> parse_synthetic_workload(std::string_view text) {
  if (text == "register") return SyntheticWorkload::register_read_write;
  if (text == "cas-register") return SyntheticWorkload::cas_register;
  return std::nullopt;
}

std::string_view to_string(SyntheticWorkload workload) {
  switch (workload) {
    case SyntheticWorkload::register_read_write: return "register";
    case SyntheticWorkload::cas_register: return "cas-register";
  }
  return "?";
}

std::optional<PlantedAnomaly> parse_planted_anomaly(std::string_view text) {
  if (text == "none") return PlantedAnomaly::none;
  if (text == "stale-read") return PlantedAnomaly::stale_read;
  if (text == "lost-write") return PlantedAnomaly::lost_write;
  return std::nullopt;
}

std::string_view to_string(PlantedAnomaly plant) {
  switch (plant) {
    case PlantedAnomaly::none: return "none";
    case PlantedAnomaly::stale_read: return "stale-read";
    case PlantedAnomaly::lost_write: return "lost-write";
  }
  return "?";
}

}  // namespace faultline
