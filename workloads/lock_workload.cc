#include "lock_workload.h"

#include <algorithm>
#include <vector>

#include "set/set_checker.h"
#include "stats/lock_holders.h"

namespace faultline {
namespace {

using nlohmann::json;

class LockOpGenerator final : public OpGenerator {
 public:
  Invocation next(std::mt19937_64&) override { return {"add", std::nullopt, next_element_++}; }

 private:
  std::int64_t next_element_ = 0;  // unique: each element is added once
};

ClientOutcome fail(std::string error) { return {OpType::fail, nullptr, std::move(error)}; }

// The elements the stored set holds; nullopt when it is not the workload's format.
std::optional<std::vector<std::int64_t>> elements_of(const json& stored) {
  std::vector<std::int64_t> elements;
  if (stored.is_null()) return elements;
  if (!stored.is_object() || !stored.contains("elements") || !stored["elements"].is_array()) return std::nullopt;
  for (const json& element : stored["elements"]) {
    if (!element.is_number_integer()) return std::nullopt;
    elements.push_back(element.get<std::int64_t>());
  }
  return elements;
}

class LockWorkload final : public Workload {
 public:
  explicit LockWorkload(std::string fencing) : fencing_(std::move(fencing)) {}

  std::string name() const override { return "lock"; }
  std::unique_ptr<OpGenerator> generator() const override { return std::make_unique<LockOpGenerator>(); }

  // Reads of the set (the final reads); adds go through perform_steps.
  ClientOutcome perform(KvClient& client, const Invocation& op) const override {
    if (op.f != "read") return fail("the lock workload cannot perform " + op.f + " alone; nothing was sent");
    const ClientOutcome read = client.read(lock_set_key);
    if (read.type != OpType::ok) return read;
    auto elements = elements_of(read.value);
    if (!elements) return fail(std::string(lock_set_key) + " holds " + read.value.dump() + ", not the workload's set");
    std::sort(elements->begin(), elements->end());
    return {OpType::ok, *elements, ""};
  }

  bool performs_steps(const Invocation& op) const override { return op.f == "add"; }

  ClientOutcome perform_steps(KvClient& client, const Invocation& op, const StepRunner& run_step) const override {
    json grant;
    const ClientOutcome acquired = run_step({"acquire", std::nullopt, lock_name}, [&] {
      ClientOutcome outcome = client.acquire_lock(lock_name, lock_lease_ms);
      if (outcome.type != OpType::ok) return outcome;
      grant = outcome.value;
      return ClientOutcome{OpType::ok, grant.at("fence"), ""};
    });
    if (acquired.type != OpType::ok) return acquired;
    const ClientOutcome added = run_step(op, [&] { return add_holding(client, op.value, grant); });
    if (added.type == OpType::info) return added;
    const ClientOutcome released =
        run_step({"release", std::nullopt, lock_name}, [&] { return client.release_lock(grant); });
    if (released.type == OpType::info) return released;
    return added;
  }

  std::vector<Invocation> final_ops() const override { return {{"read", std::nullopt, nullptr}}; }
  std::vector<std::string> operations_used() const override { return {"read", "write", "lock"}; }

  std::vector<NamedResult> check(const History& history) const override {
    return {{"set", check_set(history)}, {"lock holders", check_lock_holders(history)}};
  }

  json describe() const override {
    return {{"workload", "lock"},       {"lock", lock_name},   {"set_key", lock_set_key},
            {"lease_ms", lock_lease_ms}, {"fencing", fencing_}, {"checkers", {"set", "lock holders"}}};
  }

 private:
  // Read the set, add the element, write it back: under the lock, plainly or fenced.
  ClientOutcome add_holding(KvClient& client, const json& element, const json& grant) const {
    const ClientOutcome read = client.read(lock_set_key);
    if (read.type != OpType::ok)
      return {OpType::fail, nullptr, "reading " + std::string(lock_set_key) + ": " + read.error, read.answer};
    auto elements = elements_of(read.value);
    if (!elements) return fail(std::string(lock_set_key) + " holds " + read.value.dump() + ", not the workload's set");
    elements->push_back(element.get<std::int64_t>());
    const json written = {{"fence", grant.at("fence")}, {"elements", *elements}};
    if (fencing_ == "token") return client.write_fenced(lock_set_key, written, grant, read.value);
    return client.write(lock_set_key, written);
  }

  std::string fencing_;
};

}  // namespace

std::unique_ptr<Workload> make_lock_workload(const std::string& fencing) {
  return std::make_unique<LockWorkload>(fencing);
}

}  // namespace faultline
