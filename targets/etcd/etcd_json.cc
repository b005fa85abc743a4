#include "etcd_json.h"

#include <charconv>
#include <limits>
#include <optional>

#include "base64.h"
#include "http_kv_client.h"

namespace faultline {

namespace {

using nlohmann::json;

// gRPC's InvalidArgument: etcd refuses the request (too large, bad key) before proposing it.
constexpr std::int64_t grpc_code_invalid_argument = 3;

ClientOutcome outcome(OpType type, std::string error, json value = nullptr, std::string answer = "") {
  return ClientOutcome{type, std::move(value), std::move(error), std::move(answer)};
}

ClientOutcome unexpected_answer(const std::string& why, const std::string& raw_body) {
  return outcome(OpType::info, "HTTP 200 " + why + ": " + raw_body);
}

// Every etcd response carries a header; without one, a missing field proves nothing.
bool is_etcd_response(const json& body) { return body.is_object() && body.contains("header"); }

ClientOutcome read_outcome(const json& body, const std::string& raw_body) {
  if (!is_etcd_response(body)) return unexpected_answer("without an etcd header", raw_body);
  const bool has_kvs = body.contains("kvs") && !(body["kvs"].is_array() && body["kvs"].empty());
  if (!has_kvs) {
    // The key is absent. A count saying otherwise means we misread the answer.
    if (body.contains("count")) {
      const auto count = int64_of_etcd_field(body["count"]);
      if (!count) return unexpected_answer("with a bad count (" + count.error() + ")", raw_body);
      if (*count != 0) return unexpected_answer("with count " + std::to_string(*count) + " but no kvs", raw_body);
    }
    return outcome(OpType::ok, "", nullptr);
  }
  const json& kvs = body["kvs"];
  // One key without range_end matches at most one kv.
  if (!kvs.is_array() || kvs.size() != 1 || !kvs[0].is_object())
    return unexpected_answer("with kvs that are not one kv", raw_body);
  // proto3 JSON leaves out empty bytes: an absent value is the empty value.
  const json& kv = kvs[0];
  const json stored = kv.contains("value") ? kv["value"] : json("");
  if (!stored.is_string()) return unexpected_answer("with a value that is not a string", raw_body);
  const std::optional<std::string> text = base64_decode(stored.get<std::string>());
  if (!text) return unexpected_answer("with a value that is not base64", raw_body);
  json value = json::parse(*text, nullptr, false);
  if (value.is_discarded()) return outcome(OpType::info, "stored value is not JSON: " + *text);
  return outcome(OpType::ok, "", std::move(value));
}

ClientOutcome cas_outcome(const json& body, const std::string& raw_body) {
  if (!is_etcd_response(body)) return unexpected_answer("without an etcd header", raw_body);
  if (!body.contains("succeeded")) return outcome(OpType::fail, "compare failed: the value was not `from`", nullptr, "answered");
  if (!body["succeeded"].is_boolean()) return unexpected_answer("with a succeeded that is not a boolean", raw_body);
  if (!body["succeeded"].get<bool>()) return outcome(OpType::fail, "compare failed: the value was not `from`", nullptr, "answered");
  return outcome(OpType::ok, "");
}

// etcd's words for people: "error", else "message", else the body itself.
std::string error_text_of(const json& body, const std::string& raw_body) {
  for (const char* field : {"error", "message"})
    if (body.is_object() && body.contains(field) && body[field].is_string() && !body[field].get<std::string>().empty())
      return body[field].get<std::string>();
  return raw_body.empty() ? std::string("(empty body)") : raw_body;
}

std::optional<std::int64_t> grpc_code_of(const json& body) {
  if (!body.is_object() || !body.contains("code") || !body["code"].is_number_integer()) return std::nullopt;
  return body["code"].get<std::int64_t>();
}

ClientOutcome error_outcome(KvRequestKind kind, long status, const json& body, const std::string& raw_body) {
  const std::optional<std::int64_t> code = grpc_code_of(body);
  const std::string detail = "HTTP " + std::to_string(status) +
                             (code ? " (gRPC code " + std::to_string(*code) + ")" : std::string()) + ": " +
                             error_text_of(body, raw_body);
  if (kind == KvRequestKind::read) return outcome(OpType::fail, detail, nullptr, "refused");
  const bool refused_before_proposal = status == 400 || code == grpc_code_invalid_argument;
  return outcome(refused_before_proposal ? OpType::fail : OpType::info, detail, nullptr, "refused");
}

}  // namespace

EtcdRequest etcd_range_request(const std::string& key, bool serializable) {
  return {"/v3/kv/range", json{{"key", base64_encode(key)}, {"serializable", serializable}}.dump()};
}

EtcdRequest etcd_put_request(const std::string& key, const json& value) {
  return {"/v3/kv/put", json{{"key", base64_encode(key)}, {"value", base64_encode(value.dump())}}.dump()};
}

EtcdRequest etcd_cas_request(const std::string& key, const json& from, const json& to) {
  const std::string key64 = base64_encode(key);
  // From nothing (the set workload's first add to a shard): the key must not exist, which etcd
  // says as a create revision of 0. A compare on VALUE fails for an absent key.
  const json compare = from.is_null()
                           ? json{{"key", key64}, {"target", "CREATE"}, {"result", "EQUAL"}, {"create_revision", "0"}}
                           : json{{"key", key64}, {"target", "VALUE"}, {"result", "EQUAL"}, {"value", base64_encode(from.dump())}};
  const json put{{"request_put", {{"key", key64}, {"value", base64_encode(to.dump())}}}};
  return {"/v3/kv/txn", json{{"compare", json::array({compare})}, {"success", json::array({put})}}.dump()};
}

ClientOutcome etcd_outcome_of(KvRequestKind kind, const HttpExchange& exchange) {
  if (auto unanswered = outcome_of_unanswered(exchange)) return *unanswered;
  const json body = json::parse(exchange.body, nullptr, false);
  if (exchange.status != 200) return error_outcome(kind, exchange.status, body, exchange.body);
  switch (kind) {
    case KvRequestKind::read: return read_outcome(body, exchange.body);
    case KvRequestKind::write: return outcome(OpType::ok, "");
    case KvRequestKind::cas: return cas_outcome(body, exchange.body);
    case KvRequestKind::txn: break;  // transactions map their two txns in etcd_txn_json.h
  }
  return unexpected_answer("for an unknown request", exchange.body);
}

std::expected<std::int64_t, std::string> int64_of_etcd_field(const json& field) {
  if (field.is_number_unsigned()) {
    if (field.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return std::unexpected("number " + field.dump() + " is outside int64");
    return static_cast<std::int64_t>(field.get<std::uint64_t>());
  }
  if (field.is_number_integer()) return field.get<std::int64_t>();
  if (!field.is_string()) return std::unexpected("expected an integer or a string holding one, got " + field.dump());
  const std::string& text = field.get_ref<const std::string&>();
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range) return std::unexpected("\"" + text + "\" is outside int64");
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    return std::unexpected("\"" + text + "\" is not a decimal integer");
  return value;
}

}  // namespace faultline
