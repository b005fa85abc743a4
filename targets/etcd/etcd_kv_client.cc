#include "etcd_kv_client.h"

#include "etcd_json.h"

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

}  // namespace faultline
