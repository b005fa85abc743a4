#include "etcd_kv_client.h"

#include <algorithm>

#include "etcd_json.h"
#include "etcd_lock_json.h"
#include "etcd_txn_json.h"

namespace faultline {

namespace {

ClientOutcome perform(HttpConnection& connection, KvRequestKind kind, const EtcdRequest& request) {
  return etcd_outcome_of(kind, connection.request("POST", request.path, request.body));
}

}  // namespace

EtcdKvClient::EtcdKvClient(std::string base_url, bool serializable_reads, std::int64_t request_timeout_ms,
                           std::int64_t connect_timeout_ms, const std::string& network_namespace)
    : connection_(std::move(base_url), request_timeout_ms, connect_timeout_ms, network_namespace),
      serializable_reads_(serializable_reads) {}

ClientOutcome EtcdKvClient::read(const std::string& key) {
  return perform(connection_, KvRequestKind::read, etcd_range_request(key, serializable_reads_));
}

ClientOutcome EtcdKvClient::write(const std::string& key, const nlohmann::json& value) {
  return perform(connection_, KvRequestKind::write, etcd_put_request(key, value));
}

ClientOutcome EtcdKvClient::cas(const std::string& key, const nlohmann::json& from, const nlohmann::json& to) {
  return perform(connection_, KvRequestKind::cas, etcd_cas_request(key, from, to));
}

ClientOutcome EtcdKvClient::acquire_lock(const std::string& name, std::int64_t lease_ms) {
  const std::int64_t ttl_s = std::max<std::int64_t>(1, (lease_ms + 999) / 1000);
  const EtcdRequest grant = etcd_lease_grant_request(ttl_s);
  const ClientOutcome lease = etcd_lease_grant_outcome(connection_.request("POST", grant.path, grant.body));
  // A lease alone locks nothing: whatever happened to it, no lock was taken.
  if (lease.type != OpType::ok) return {OpType::fail, nullptr, "lease grant: " + lease.error, lease.answer};
  const EtcdRequest lock = etcd_lock_request(name, lease.value["lease"].get<std::string>());
  return etcd_lock_outcome(connection_.request("POST", lock.path, lock.body));
}

ClientOutcome EtcdKvClient::release_lock(const nlohmann::json& grant) {
  return perform(connection_, KvRequestKind::write, etcd_unlock_request(grant.at("key").get<std::string>()));
}

ClientOutcome EtcdKvClient::write_fenced(const std::string& key, const nlohmann::json& value,
                                         const nlohmann::json& grant, const nlohmann::json&) {
  return perform(connection_, KvRequestKind::cas,
                 etcd_fenced_put_request(key, value, grant.at("key").get<std::string>()));
}

ClientOutcome EtcdKvClient::transact(const nlohmann::json& micro_ops) {
  const auto keys = list_txn_keys(micro_ops);
  if (!keys) return {OpType::fail, nullptr, keys.error() + "; nothing was sent"};
  const EtcdRequest read = etcd_list_snapshot_request(*keys, serializable_reads_);
  const auto snapshot = etcd_list_snapshot_of(*keys, connection_.request("POST", read.path, read.body));
  if (!snapshot) return snapshot.error();
  const auto plan = plan_list_txn(micro_ops, snapshot->lists);
  if (!plan) return {OpType::fail, nullptr, plan.error() + "; nothing was written"};
  if (plan->writes.empty()) return {OpType::ok, plan->completed, ""};
  const EtcdRequest write = etcd_guarded_put_request(*keys, *snapshot, *plan);
  ClientOutcome committed = perform(connection_, KvRequestKind::cas, write);
  if (committed.type == OpType::ok) committed.value = plan->completed;
  if (committed.type == OpType::fail && committed.answer == "answered")
    committed.error = "a key of the transaction changed after it was read; nothing was put";
  return committed;
}

}  // namespace faultline
