#include "register_workload.h"

#include <cassert>
#include <map>
#include <utility>

#include "linearizability/linearizability.h"
#include "random_choice.h"
#include "stats/convergence.h"

namespace faultline {
namespace {

using nlohmann::json;

class RegisterOpGenerator final : public OpGenerator {
 public:
  RegisterOpGenerator(std::vector<std::string> keys, int values, bool cas)
      : keys_(std::move(keys)), values_(values), cas_(cas) {}

  Invocation next(std::mt19937_64& random) override {
    // Always the same number of draws per op, whatever its kind, so that a change to one
    // kind's arguments does not shift every later op of a seed.
    const std::int64_t kind = uniform_below(random, 100);
    const std::string& key =
        keys_[static_cast<std::size_t>(uniform_below(random, static_cast<std::int64_t>(keys_.size())))];
    const std::int64_t a = uniform_below(random, values_);
    const std::int64_t b = uniform_below(random, values_);
    if (!cas_) {
      if (kind < register_read_percent_without_cas) return {"read", key, nullptr};
      return {"write", key, a};
    }
    if (kind < register_read_percent) return {"read", key, nullptr};
    if (kind < register_read_percent + register_write_percent) {
      remember_written(key, a);
      return {"write", key, a};
    }
    std::int64_t from = a;
    if (values_ > register_cas_random_from_values_max) {
      const std::vector<std::int64_t>& recent = recent_[key];
      if (!recent.empty()) from = recent[static_cast<std::size_t>(a) % recent.size()];
    }
    remember_written(key, b);
    return {"cas", key, json::array({from, b})};
  }

 private:
  void remember_written(const std::string& key, std::int64_t value) {
    if (values_ <= register_cas_random_from_values_max) return;
    std::vector<std::int64_t>& recent = recent_[key];
    recent.push_back(value);
    if (recent.size() > register_cas_recent_values) recent.erase(recent.begin());
  }

  std::map<std::string, std::vector<std::int64_t>> recent_;  // per key, oldest first
  std::vector<std::string> keys_;
  int values_;
  bool cas_;
};

class RegisterWorkload final : public Workload {
 public:
  RegisterWorkload(std::string name, std::vector<std::string> keys, int values, bool cas,
                   std::chrono::milliseconds check_time_limit)
      : name_(std::move(name)), keys_(std::move(keys)), values_(values), cas_(cas), check_time_limit_(check_time_limit) {
    assert(!keys_.empty() && values_ > 1);
  }

  std::string name() const override { return name_; }

  std::unique_ptr<OpGenerator> generator() const override {
    return std::make_unique<RegisterOpGenerator>(keys_, values_, cas_);
  }

  ClientOutcome perform(KvClient& client, const Invocation& op) const override {
    if (!op.key) return {OpType::fail, nullptr, "the " + name_ + " workload needs a key on every op; nothing was sent"};
    if (op.f == "read") return client.read(*op.key);
    if (op.f == "write") return client.write(*op.key, op.value);
    if (op.f == "cas" && op.value.is_array() && op.value.size() == 2)
      return client.cas(*op.key, op.value[0], op.value[1]);
    return {OpType::fail, nullptr,
            "the " + name_ + " workload cannot perform " + op.f + " " + op.value.dump() + "; nothing was sent"};
  }

  // A read of every key, from every node: linearizability covers them with the rest.
  std::vector<Invocation> final_ops() const override {
    std::vector<Invocation> reads;
    for (const std::string& key : keys_) reads.push_back({"read", key, nullptr});
    return reads;
  }
  std::vector<std::string> operations_used() const override {
    if (cas_) return {"read", "write", "cas"};
    return {"read", "write"};
  }

  std::vector<NamedResult> check(const History& history) const override {
    LinearizabilityOptions options;
    options.model = find_model("cas-register");
    options.initial = nullptr;  // the node reads null for a key never written
    options.time_limit = check_time_limit_;
    auto result = check_linearizability(history, options);
    if (!result) {
      return {{"linearizability", CheckResult{Verdict::unknown,
                                              {{"reason", "the history does not fit the cas-register model: " +
                                                              result.error().to_string()}}}}};
    }
    std::vector<NamedResult> results = {{"linearizability", std::move(*result)}};
    if (auto convergence = check_convergence(history)) results.push_back({"convergence", std::move(*convergence)});
    return results;
  }

  json describe() const override {
    return {{"workload", name_},
            {"keys", keys_.size()},
            {"values", values_},
            {"operations", cas_ ? json::array({"read", "write", "cas"}) : json::array({"read", "write"})},
            {"model", "cas-register"},
            {"initial", nullptr},
            {"check_time_limit_ms", check_time_limit_.count()},
            {"checkers", {"linearizability"}}};
  }

 private:
  std::string name_;
  std::vector<std::string> keys_;
  int values_;
  bool cas_;
  std::chrono::milliseconds check_time_limit_;
};

}  // namespace

std::unique_ptr<Workload> make_register_workload(std::string name, std::vector<std::string> keys, int values,
                                                 bool cas, std::chrono::milliseconds check_time_limit) {
  return std::make_unique<RegisterWorkload>(std::move(name), std::move(keys), values, cas, check_time_limit);
}

}  // namespace faultline
