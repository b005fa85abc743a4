// For tests only: an in-memory KvClient that behaves like one linearizable store (every request
// is one atomic step on a map), plus a script that changes the answers of the next requests,
// so that tests can reach every outcome (a refused read, a cas that timed out after applying,
// another client's write slipped in between a read and a cas).
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "adapter/kv_client.h"

namespace faultline {

class FakeKvClient final : public KvClient {
 public:
  using Store = std::map<std::string, nlohmann::json>;

  // What happens to one request, taken from the front of `script` (an empty script: every
  // request is answered by the store).
  struct Step {
    std::function<void(Store&)> before;   // runs first: another client's write, say
    std::optional<ClientOutcome> answer;  // nullopt: the store answers
    bool apply = false;                   // with an answer: the store applies the request first
  };

  Store store;
  std::deque<Step> script;
  std::vector<std::string> requests;  // "read k", "write k 3", "cas k null [0]": what was asked

  ClientOutcome read(const std::string& key) override {
    requests.push_back("read " + key);
    return answer([&] { return ClientOutcome{OpType::ok, current(key), ""}; });
  }

  ClientOutcome write(const std::string& key, const nlohmann::json& value) override {
    requests.push_back("write " + key + " " + value.dump());
    return answer([&] {
      store[key] = value;
      return ClientOutcome{OpType::ok, nullptr, ""};
    });
  }

  ClientOutcome cas(const std::string& key, const nlohmann::json& from, const nlohmann::json& to) override {
    requests.push_back("cas " + key + " " + from.dump() + " " + to.dump());
    return answer([&] {
      if (current(key) != from)
        return ClientOutcome{OpType::fail, nullptr, "cas failed: the current value is not " + from.dump()};
      store[key] = to;
      return ClientOutcome{OpType::ok, nullptr, ""};
    });
  }

 private:
  nlohmann::json current(const std::string& key) const {
    auto it = store.find(key);
    return it == store.end() ? nlohmann::json(nullptr) : it->second;
  }

  template <typename Apply>
  ClientOutcome answer(Apply apply) {
    if (script.empty()) return apply();
    Step step = std::move(script.front());
    script.pop_front();
    if (step.before) step.before(store);
    if (!step.answer) return apply();
    if (step.apply) apply();
    return *step.answer;
  }
};

}  // namespace faultline
