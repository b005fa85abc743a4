#include "http_kv_client.h"

namespace faultline {

namespace {

// The body as JSON, or a discarded value when it is not JSON.
nlohmann::json parse_body(const std::string& body) { return nlohmann::json::parse(body, nullptr, false); }

std::string error_text_of(const nlohmann::json& body, const std::string& raw_body) {
  if (body.is_object() && body.contains("error") && body["error"].is_string()) return body["error"].get<std::string>();
  return raw_body.empty() ? std::string("(empty body)") : raw_body;
}

ClientOutcome outcome(OpType type, std::string error, nlohmann::json value = nullptr, std::string answer = "") {
  return ClientOutcome{type, std::move(value), std::move(error), std::move(answer)};
}

}  // namespace

std::optional<ClientOutcome> outcome_of_unanswered(const HttpExchange& exchange) {
  switch (exchange.delivery) {
    case Delivery::not_sent:
      return outcome(OpType::fail, "not sent: " + exchange.error, nullptr, "unreachable");
    case Delivery::maybe_sent:
      return outcome(OpType::info, "no answer: " + exchange.error, nullptr, "timeout");
    case Delivery::answered:
      break;
  }
  return std::nullopt;
}

ClientOutcome outcome_of(KvRequestKind kind, const HttpExchange& exchange) {
  if (auto unanswered = outcome_of_unanswered(exchange)) return *unanswered;
  const nlohmann::json body = parse_body(exchange.body);
  const std::string status = "HTTP " + std::to_string(exchange.status);
  switch (exchange.status) {
    case 200:
    {
      if (kind == KvRequestKind::write || kind == KvRequestKind::cas) return outcome(OpType::ok, "");
      // A read or transaction whose answer we cannot parse returned nothing we could record.
      const char* field = kind == KvRequestKind::read ? "value" : "txn";
      if (!body.is_object() || !body.contains(field))
        return outcome(OpType::info, status + " without a \"" + field + "\": " + exchange.body);
      return outcome(OpType::ok, "", body[field]);
    }
    case 409:
      if (kind == KvRequestKind::cas)
        return outcome(OpType::fail, status + ": " + error_text_of(body, exchange.body), nullptr, "answered");
      break;
    case 503: {
      const bool definite = body.is_object() && body.contains("definite") && body["definite"].is_boolean() &&
                            body["definite"].get<bool>();
      const std::string detail =
          status + (definite ? " definite: " : " indefinite: ") + error_text_of(body, exchange.body);
      return outcome(definite ? OpType::fail : OpType::info, detail, nullptr, "refused");
    }
    case 400:
      return outcome(OpType::fail, status + " (malformed request): " + error_text_of(body, exchange.body), nullptr,
                     "refused");
    default:
      break;
  }
  return outcome(OpType::info, status + " unexpected: " + exchange.body, nullptr, "refused");
}

HttpKvClient::HttpKvClient(std::string base_url, std::int64_t request_timeout_ms, std::int64_t connect_timeout_ms,
                           const std::string& network_namespace)
    : connection_(std::move(base_url), request_timeout_ms, connect_timeout_ms, network_namespace) {}

std::string HttpKvClient::key_path(const std::string& key) { return "/kv/" + connection_.escape_path_segment(key); }

ClientOutcome HttpKvClient::read(const std::string& key) {
  return outcome_of(KvRequestKind::read, connection_.request("GET", key_path(key)));
}

ClientOutcome HttpKvClient::write(const std::string& key, const nlohmann::json& value) {
  const nlohmann::json body = {{"value", value}};
  return outcome_of(KvRequestKind::write, connection_.request("PUT", key_path(key), body.dump()));
}

ClientOutcome HttpKvClient::cas(const std::string& key, const nlohmann::json& from, const nlohmann::json& to) {
  const nlohmann::json body = {{"from", from}, {"to", to}};
  return outcome_of(KvRequestKind::cas, connection_.request("POST", key_path(key) + "/cas", body.dump()));
}

ClientOutcome HttpKvClient::transact(const nlohmann::json& micro_ops) {
  const nlohmann::json body = {{"txn", micro_ops}};
  return outcome_of(KvRequestKind::txn, connection_.request("POST", "/txn", body.dump()));
}

}  // namespace faultline
