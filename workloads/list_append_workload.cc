#include "list_append_workload.h"

#include <map>
#include <vector>

#include "random_choice.h"
#include "synthetic_transactions.h"
#include "transactions/list_append.h"
#include "transactions/rw_register.h"

namespace faultline {
namespace {

using nlohmann::json;

class ListAppendGenerator final : public OpGenerator {
 public:
  explicit ListAppendGenerator(TransactionWorkload kind) : write_f_(kind == TransactionWorkload::list_append ? "append" : "w") {
    for (int k = 0; k < list_append_active_keys; ++k) active_.push_back(next_key_++);
  }

  Invocation next(std::mt19937_64& random) override {
    const std::int64_t length = 1 + uniform_below(random, list_append_txn_length_max);
    json micro_ops = json::array();
    for (std::int64_t i = 0; i < length; ++i) {
      const auto slot = static_cast<std::size_t>(uniform_below(random, static_cast<std::int64_t>(active_.size())));
      const std::int64_t key = active_[slot];
      if (uniform_below(random, 100) < list_append_read_percent) {
        micro_ops.push_back(json::array({"r", key, nullptr}));
        continue;
      }
      const std::int64_t value = ++appended_[key];
      micro_ops.push_back(json::array({write_f_, key, value}));
      if (value >= list_append_writes_per_key_max) {
        // Retired: no later transaction touches it, so its list stays short.
        appended_.erase(key);
        active_[slot] = next_key_++;
      }
    }
    return {"txn", std::nullopt, std::move(micro_ops)};
  }

 private:
  std::string write_f_;
  std::vector<std::int64_t> active_;
  std::map<std::int64_t, std::int64_t> appended_;  // active key -> its last appended value
  std::int64_t next_key_ = 0;
};

class ListAppendWorkload final : public Workload {
 public:
  ListAppendWorkload(TransactionWorkload kind, std::string consistency) : kind_(kind), consistency_(std::move(consistency)) {}

  std::string name() const override { return std::string(to_string(kind_)); }

  std::unique_ptr<OpGenerator> generator() const override { return std::make_unique<ListAppendGenerator>(kind_); }

  ClientOutcome perform(KvClient& client, const Invocation& op) const override {
    if (op.f != "txn") return {OpType::fail, nullptr, "the " + name() + " workload cannot perform " + op.f + "; nothing was sent"};
    return client.transact(op.value);
  }

  // Elle needs no final reads: the order of each key's appends comes from the reads of the run.
  std::vector<Invocation> final_ops() const override { return {}; }
  std::vector<std::string> operations_used() const override {
    if (kind_ == TransactionWorkload::list_append) return {"txn"};
    return {"txn", "txn-write"};
  }

  std::vector<NamedResult> check(const History& history) const override {
    const transactions::TransactionCheckResult found = kind_ == TransactionWorkload::list_append
                                                           ? transactions::check_list_append(history, {{consistency_}})
                                                           : transactions::check_rw_register(history, {{consistency_}});
    CheckResult result;
    result.verdict = found.verdict;
    result.details = found.to_json();
    return {{name(), std::move(result)}};
  }

  json describe() const override {
    return {{"workload", name()},
            {"consistency", consistency_},
            {"active_keys", list_append_active_keys},
            {"txn_length_max", list_append_txn_length_max},
            {"writes_per_key_max", list_append_writes_per_key_max},
            {"read_percent", list_append_read_percent},
            {"checkers", {name()}}};
  }

 private:
  TransactionWorkload kind_;
  std::string consistency_;
};

}  // namespace

std::unique_ptr<Workload> make_list_append_workload(std::string consistency) {
  return std::make_unique<ListAppendWorkload>(TransactionWorkload::list_append, std::move(consistency));
}

std::unique_ptr<Workload> make_rw_register_workload(std::string consistency) {
  return std::make_unique<ListAppendWorkload>(TransactionWorkload::rw_register, std::move(consistency));
}

}  // namespace faultline
