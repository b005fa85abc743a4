#include "etcd_lock_json.h"

#include <variant>

#include "base64.h"

namespace faultline {
namespace {

using nlohmann::json;

// The 200 body of a write-like request, or the outcome of an answer that is not one.
std::variant<json, ClientOutcome> answered_body(const HttpExchange& exchange) {
  if (exchange.delivery != Delivery::answered || exchange.status != 200)
    return etcd_outcome_of(KvRequestKind::write, exchange);
  json body = json::parse(exchange.body, nullptr, false);
  if (!body.is_object() || !body.contains("header"))
    return ClientOutcome{OpType::info, nullptr, "HTTP 200 without an etcd header: " + exchange.body};
  return body;
}

}  // namespace

EtcdRequest etcd_lease_grant_request(std::int64_t ttl_s) {
  return {"/v3/lease/grant", json{{"TTL", std::to_string(ttl_s)}}.dump()};
}

EtcdRequest etcd_lock_request(const std::string& name, const std::string& lease_id) {
  return {"/v3/lock/lock", json{{"name", base64_encode(name)}, {"lease", lease_id}}.dump()};
}

EtcdRequest etcd_unlock_request(const std::string& lock_key_base64) {
  return {"/v3/lock/unlock", json{{"key", lock_key_base64}}.dump()};
}

EtcdRequest etcd_fenced_put_request(const std::string& key, const json& value, const std::string& lock_key_base64) {
  const json compare = {{"key", lock_key_base64}, {"target", "CREATE"}, {"result", "GREATER"}, {"create_revision", "0"}};
  const json put{{"request_put", {{"key", base64_encode(key)}, {"value", base64_encode(value.dump())}}}};
  return {"/v3/kv/txn", json{{"compare", json::array({compare})}, {"success", json::array({put})}}.dump()};
}

ClientOutcome etcd_lease_grant_outcome(const HttpExchange& exchange) {
  auto body = answered_body(exchange);
  if (auto* outcome = std::get_if<ClientOutcome>(&body)) return *outcome;
  const json& answer = std::get<json>(body);
  if (!answer.contains("ID") || !int64_of_etcd_field(answer["ID"]))
    return {OpType::info, nullptr, "HTTP 200 without a lease ID: " + exchange.body};
  return {OpType::ok, {{"lease", answer["ID"].is_string() ? answer["ID"].get<std::string>() : answer["ID"].dump()}}, ""};
}

ClientOutcome etcd_lock_outcome(const HttpExchange& exchange) {
  auto body = answered_body(exchange);
  if (auto* outcome = std::get_if<ClientOutcome>(&body)) return *outcome;
  const json& answer = std::get<json>(body);
  if (!answer.contains("key") || !answer["key"].is_string())
    return {OpType::info, nullptr, "HTTP 200 without a lock key: " + exchange.body};
  const json& header = answer["header"];
  const auto revision = header.is_object() && header.contains("revision") ? int64_of_etcd_field(header["revision"])
                                                                          : std::expected<std::int64_t, std::string>(0);
  return {OpType::ok, {{"key", answer["key"]}, {"fence", revision.value_or(0)}}, ""};
}

}  // namespace faultline
