// The lock workload over an in-memory store: the steps it records, what it writes with and
// without fencing, and how a stale holder's write is refused by fencing and not without it.
#include <catch2/catch.hpp>

#include "adapter/cas_lock.h"
#include "fake_kv_client.h"
#include "lock_workload.h"

using namespace faultline;
using nlohmann::json;

namespace {

struct Recorded {
  std::vector<std::string> steps;  // "acquire ok", "add ok", ...
  StepRunner runner() {
    return [this](const Invocation& step, const std::function<ClientOutcome()>& perform) {
      const ClientOutcome outcome = perform();
      steps.push_back(step.f + " " + std::string(to_string(outcome.type)));
      return outcome;
    };
  }
};

}  // namespace

TEST_CASE("lock workload: an add is acquire, add, release, and the set holds the element") {
  for (const std::string fencing : {"none", "token"}) {
    auto workload = make_lock_workload(fencing);
    FakeKvClient client;
    Recorded recorded;
    const Invocation add{"add", std::nullopt, 5};
    REQUIRE(workload->performs_steps(add));
    const ClientOutcome outcome = workload->perform_steps(client, add, recorded.runner());
    INFO(fencing);
    CHECK(outcome.type == OpType::ok);
    CHECK(recorded.steps == std::vector<std::string>{"acquire ok", "add ok", "release ok"});
    CHECK(client.store[lock_set_key] == json({{"fence", 1}, {"elements", {5}}}));
    CHECK(client.store[cas_lock_key(lock_name)]["owner"].is_null());  // released
    const ClientOutcome read = workload->perform(client, {"read", std::nullopt, nullptr});
    CHECK(read.type == OpType::ok);
    CHECK(read.value == json({5}));
  }
}

TEST_CASE("lock workload: a stale holder's write loses an update without fencing, and is refused with it") {
  for (const std::string fencing : {"none", "token"}) {
    auto workload = make_lock_workload(fencing);
    FakeKvClient client;
    client.store[lock_set_key] = {{"fence", 1}, {"elements", {1}}};
    // Our holder reads the set; then, before it writes, its lease runs out and another holder
    // (fence 9) takes the lock and writes element 2.
    client.script.push_back({});  // read the lock key
    client.script.push_back({});  // cas the lock key: ours, fence 1
    client.script.push_back({});  // read the set
    client.script.push_back({[](FakeKvClient::Store& store) {
                               store[lock_set_key] = {{"fence", 9}, {"elements", {1, 2}}};
                             },
                             std::nullopt, false});
    Recorded recorded;
    const ClientOutcome outcome = workload->perform_steps(client, {"add", std::nullopt, 3}, recorded.runner());
    INFO(fencing);
    if (fencing == "none") {
      CHECK(outcome.type == OpType::ok);
      CHECK(client.store[lock_set_key]["elements"] == json({1, 3}));  // element 2 is lost
    } else {
      CHECK(outcome.type == OpType::fail);
      CHECK(client.store[lock_set_key]["elements"] == json({1, 2}));  // nothing lost
    }
  }
}

TEST_CASE("cas lock: a held lock is waited for, an expired one is taken with the next fence") {
  FakeKvClient client;
  std::int64_t now = 1'000;
  auto clock = [&] { return now; };
  const ClientOutcome first = acquire_cas_lock(client, "l", 2'000, "a", clock);
  REQUIRE(first.type == OpType::ok);
  CHECK(first.value["fence"] == 1);
  // Still held: b polls until cas_lock_wait_ms_max has passed on its clock, then gives up.
  auto ticking = [&] { return now += 100; };
  const ClientOutcome busy = acquire_cas_lock(client, "l", 2'000, "b", ticking);
  CHECK(busy.type == OpType::fail);
  CHECK(client.store[cas_lock_key("l")]["owner"] == "a");
  // Once a's lease ran out (it expires at 3000), c takes the lock with the next fence.
  now = 3'500;
  const ClientOutcome taken = acquire_cas_lock(client, "l", 2'000, "c", clock);
  REQUIRE(taken.type == OpType::ok);
  CHECK(taken.value["fence"] == 2);
  CHECK(client.store[cas_lock_key("l")]["owner"] == "c");
  // a's release finds the lock no longer its own.
  CHECK(release_cas_lock(client, first.value).type == OpType::fail);
}

TEST_CASE("lock workload: fencing must be none or token, only the lock workload takes it") {
  WorkloadOptions options;
  options.name = "lock";
  options.lock_fencing = "maybe";
  CHECK(make_workload(options).error() == "--lock-fencing must be none or token, got 'maybe'");
  options.name = "register";
  options.lock_fencing = "token";
  REQUIRE_FALSE(make_workload(options).has_value());
  CHECK(make_workload(options).error() == "--lock-fencing applies to --workload lock");
}
