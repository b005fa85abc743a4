#include "set_workload.h"

#include <algorithm>
#include <vector>

#include "random_choice.h"
#include "set/set_checker.h"

namespace faultline {
namespace {

using nlohmann::json;

class SetOpGenerator final : public OpGenerator {
 public:
  Invocation next(std::mt19937_64& random) override {
    if (uniform_below(random, 100) < set_read_percent) return {"read", std::nullopt, nullptr};
    return {"add", std::nullopt, next_element_++};
  }

 private:
  std::int64_t next_element_ = 0;  // elements are unique: each is added once
};

ClientOutcome fail(std::string error) { return {OpType::fail, nullptr, std::move(error)}; }

// The elements a shard holds: null (never written) is empty.
std::optional<std::vector<std::int64_t>> shard_elements(const json& value) {
  std::vector<std::int64_t> elements;
  if (value.is_null()) return elements;
  if (!value.is_array()) return std::nullopt;
  for (const json& element : value) {
    if (!element.is_number_integer()) return std::nullopt;
    elements.push_back(element.get<std::int64_t>());
  }
  return elements;
}

ClientOutcome add(KvClient& client, const json& value) {
  if (!value.is_number_integer()) return fail("add needs an integer, got " + value.dump() + "; nothing was sent");
  const std::int64_t element = value.get<std::int64_t>();
  const std::string key = set_shard_key(element);
  std::string last_cas_error, last_cas_answer;
  for (int attempt = 1; attempt <= set_add_attempts_max; ++attempt) {
    const ClientOutcome read = client.read(key);
    // Whatever happened to the read, no cas of this attempt was sent, and every earlier cas
    // certainly failed: nothing of `element` was written.
    if (read.type != OpType::ok)
      return {OpType::fail, nullptr, "reading " + key + " (attempt " + std::to_string(attempt) + "): " + read.error,
              read.answer};
    if (!shard_elements(read.value)) return fail(key + " holds " + read.value.dump() + ", not an array of integers");
    json grown = read.value.is_null() ? json::array() : read.value;
    grown.push_back(element);
    const ClientOutcome cas = client.cas(key, read.value, grown);
    if (cas.type == OpType::ok) return {OpType::ok, value, ""};
    if (cas.type == OpType::info) return {OpType::info, nullptr, "cas on " + key + ": " + cas.error, cas.answer};
    last_cas_error = cas.error;  // certainly not applied: read again and retry
    last_cas_answer = cas.answer;
  }
  // As the last cas was answered: a failed compare (other adds won the shard) is the system
  // serving; a refusal is not.
  return {OpType::fail, nullptr,
          "gave up after " + std::to_string(set_add_attempts_max) + " cas attempts on " + key + "; the last: " + last_cas_error,
          last_cas_answer};
}

ClientOutcome read_all_shards(KvClient& client) {
  std::vector<std::int64_t> elements;
  for (int shard = 0; shard < set_shard_count; ++shard) {
    const std::string key = set_shard_key(shard);
    const ClientOutcome read = client.read(key);
    if (read.type != OpType::ok) return fail("reading " + key + ": " + read.error);
    auto shard_values = shard_elements(read.value);
    if (!shard_values) return fail(key + " holds " + read.value.dump() + ", not an array of integers");
    elements.insert(elements.end(), shard_values->begin(), shard_values->end());
  }
  std::sort(elements.begin(), elements.end());
  return {OpType::ok, elements, ""};
}

class SetWorkload final : public Workload {
 public:
  std::string name() const override { return "set"; }

  std::unique_ptr<OpGenerator> generator() const override { return std::make_unique<SetOpGenerator>(); }

  ClientOutcome perform(KvClient& client, const Invocation& op) const override {
    if (op.f == "add") return add(client, op.value);
    if (op.f == "read") return read_all_shards(client);
    return fail("the set workload cannot perform " + op.f + "; nothing was sent");
  }

  std::vector<Invocation> final_ops() const override { return {{"read", std::nullopt, nullptr}}; }
  // An add is a read, then a cas from what it read (from nothing: the key is created).
  std::vector<std::string> operations_used() const override { return {"read", "cas"}; }

  std::vector<NamedResult> check(const History& history) const override { return {{"set", check_set(history)}}; }

  json describe() const override {
    json shard_keys = json::array();
    for (int shard = 0; shard < set_shard_count; ++shard) shard_keys.push_back(set_shard_key(shard));
    return {{"workload", "set"},
            {"shard_keys", shard_keys},
            {"add_attempts_max", set_add_attempts_max},
            {"read_percent", set_read_percent},
            {"checkers", {"set"}}};
  }
};

}  // namespace

std::string set_shard_key(std::int64_t element) {
  // Elements are drawn from 0 up, but an imported or hand-written op may be negative.
  const std::int64_t shard = ((element % set_shard_count) + set_shard_count) % set_shard_count;
  return "set-" + std::to_string(shard);
}

std::unique_ptr<Workload> make_set_workload() { return std::make_unique<SetWorkload>(); }

}  // namespace faultline
