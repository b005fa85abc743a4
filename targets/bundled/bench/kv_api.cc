#include "kv_api.h"

#include <nlohmann/json.hpp>

#include "etcd/base64.h"

namespace faultline::bench {

const char* system_name(System system) { return system == System::faultline ? "faultline" : "etcd"; }

const char* operation_name(Operation operation) {
  switch (operation) {
    case Operation::read: return "read";
    case Operation::write: return "write";
    case Operation::cas: return "cas";
  }
  return "?";
}

HttpRequest request_for(System system, Operation operation, std::size_t key, int from, int to) {
  const std::string name = "k" + std::to_string(key);
  if (system == System::faultline) {
    switch (operation) {
      case Operation::read: return {"GET", "/kv/" + name, ""};
      case Operation::write: return {"PUT", "/kv/" + name, nlohmann::json{{"value", to}}.dump()};
      case Operation::cas: return {"POST", "/kv/" + name + "/cas", nlohmann::json{{"from", from}, {"to", to}}.dump()};
    }
  }
  const std::string key64 = base64_encode(name), to64 = base64_encode(std::to_string(to));
  switch (operation) {
    case Operation::read: return {"POST", "/v3/kv/range", nlohmann::json{{"key", key64}}.dump()};
    case Operation::write: return {"POST", "/v3/kv/put", nlohmann::json{{"key", key64}, {"value", to64}}.dump()};
    case Operation::cas: {
      const nlohmann::json compare{{"key", key64}, {"result", "EQUAL"}, {"target", "VALUE"}, {"value", base64_encode(std::to_string(from))}};
      const nlohmann::json put{{"request_put", {{"key", key64}, {"value", to64}}}};
      return {"POST", "/v3/kv/txn", nlohmann::json{{"compare", {compare}}, {"success", {put}}}.dump()};
    }
  }
  return {};
}

Outcome outcome_of(System system, Operation operation, long status, const std::string& body) {
  if (system == System::faultline) {
    if (status == 200) return Outcome::ok;
    return status == 409 && operation == Operation::cas ? Outcome::conflict : Outcome::failed;
  }
  if (status != 200) return Outcome::failed;
  if (operation != Operation::cas) return Outcome::ok;
  // etcd's gateway leaves out fields at their default, so a failed compare has no "succeeded".
  const auto reply = nlohmann::json::parse(body, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) return Outcome::failed;
  return reply.value("succeeded", false) ? Outcome::ok : Outcome::conflict;
}

}  // namespace faultline::bench
