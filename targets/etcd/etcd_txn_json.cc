#include "etcd_txn_json.h"

#include <algorithm>

#include "base64.h"

namespace faultline {

namespace {

using nlohmann::json;

ClientOutcome not_written(std::string why, std::string answer = "") {
  return {OpType::fail, nullptr, "reading the transaction's keys: " + std::move(why) + "; nothing was written",
          std::move(answer)};
}

}  // namespace

std::string etcd_list_key(std::int64_t key) { return "list-" + std::to_string(key); }

EtcdRequest etcd_list_snapshot_request(const std::vector<std::int64_t>& keys, bool serializable) {
  json ranges = json::array();
  for (std::int64_t key : keys)
    ranges.push_back({{"request_range", {{"key", base64_encode(etcd_list_key(key))}, {"serializable", serializable}}}});
  return {"/v3/kv/txn", json{{"success", std::move(ranges)}}.dump()};
}

std::expected<EtcdListSnapshot, ClientOutcome> etcd_list_snapshot_of(const std::vector<std::int64_t>& keys,
                                                                    const HttpExchange& exchange) {
  if (exchange.delivery != Delivery::answered) return std::unexpected(not_written(exchange.error, "unreachable"));
  if (exchange.status != 200)
    return std::unexpected(not_written("HTTP " + std::to_string(exchange.status) + ": " + exchange.body, "refused"));
  const json body = json::parse(exchange.body, nullptr, false);
  if (!body.is_object() || !body.contains("header") || !body.contains("responses") || !body["responses"].is_array() ||
      body["responses"].size() != keys.size())
    return std::unexpected(not_written("an answer without one range per key: " + exchange.body));
  EtcdListSnapshot snapshot;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const json& response = body["responses"][i];
    const json range = response.is_object() ? response.value("response_range", json()) : json();
    if (!range.is_object()) return std::unexpected(not_written("a response that is not a range: " + response.dump()));
    // proto3 JSON leaves out an empty kvs: the key is absent.
    const json kvs = range.value("kvs", json::array());
    if (!kvs.is_array() || kvs.size() > 1) return std::unexpected(not_written("a range with several kvs: " + range.dump()));
    if (kvs.empty()) {
      snapshot.lists[keys[i]] = nullptr;
      snapshot.mod_revisions[keys[i]] = 0;
      continue;
    }
    const json& kv = kvs[0];
    const auto revision = int64_of_etcd_field(kv.value("mod_revision", json()));
    if (!revision) return std::unexpected(not_written("a kv with a bad mod_revision (" + revision.error() + ")"));
    const std::optional<std::string> text = base64_decode(kv.value("value", std::string()));
    if (!text) return std::unexpected(not_written("a value that is not base64: " + kv.dump()));
    json list = json::parse(*text, nullptr, false);
    if (list.is_discarded()) return std::unexpected(not_written("a stored value that is not JSON: " + *text));
    snapshot.lists[keys[i]] = std::move(list);
    snapshot.mod_revisions[keys[i]] = *revision;
  }
  return snapshot;
}

EtcdRequest etcd_guarded_put_request(const std::vector<std::int64_t>& keys, const EtcdListSnapshot& snapshot,
                                     const ListTxnPlan& plan) {
  json compare = json::array();
  for (std::int64_t key : keys)
    compare.push_back({{"key", base64_encode(etcd_list_key(key))},
                       {"target", "MOD"},
                       {"result", "EQUAL"},
                       {"mod_revision", std::to_string(snapshot.mod_revisions.at(key))}});
  json puts = json::array();
  for (const auto& [key, list] : plan.writes)
    puts.push_back({{"request_put", {{"key", base64_encode(etcd_list_key(key))}, {"value", base64_encode(list.dump())}}}});
  return {"/v3/kv/txn", json{{"compare", std::move(compare)}, {"success", std::move(puts)}}.dump()};
}

}  // namespace faultline
