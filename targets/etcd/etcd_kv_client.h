// KvClient for etcd 3.4 over its v3 JSON gateway, over one keep-alive HttpConnection.
// Every answer maps onto the history's types exactly once, in etcd_json.h:
//   not sent                        fail (connection refused, connect timeout)
//   sent, no answer                 info (timeout, reset, empty reply)
//   200 read                        ok: the value, or null when the key is absent;
//                                   info when the stored value is not JSON
//   200 write                       ok
//   200 cas                         ok when "succeeded": true, else fail (compare failed)
//   read, any error status          fail: a read changes nothing
//   write/cas, 400 or gRPC code 3   fail: refused before it was proposed
//   write/cas, other errors         info: timed out, leader changed, unavailable, 500: it may commit
//   200 we cannot interpret         info
// The error text carries etcd's own words, for people.
#pragma once

#include <cstdint>
#include <string>

#include "adapter_limits.h"
#include "http_connection.h"
#include "kv_client.h"

namespace faultline {

class EtcdKvClient final : public KvClient {
 public:
  // `base_url` is one member's client URL, like "http://127.0.0.1:2379". `serializable_reads`:
  // reads are answered from that member's local state without a quorum (may be stale); false
  // asks for linearizable reads, etcd's default. `network_namespace` as for HttpConnection.
  EtcdKvClient(std::string base_url, bool serializable_reads,
               std::int64_t request_timeout_ms = faultline::request_timeout_ms,
               std::int64_t connect_timeout_ms = faultline::connect_timeout_ms,
               const std::string& network_namespace = "");

  ClientOutcome read(const std::string& key) override;
  ClientOutcome write(const std::string& key, const nlohmann::json& value) override;
  ClientOutcome cas(const std::string& key, const nlohmann::json& from, const nlohmann::json& to) override;
  // etcd's own locks (etcd_lock_json.h): a lease of lease_ms rounded up to whole seconds, then
  // /v3/lock/lock; a lease whose lock request got no answer is left to expire.
  ClientOutcome acquire_lock(const std::string& name, std::int64_t lease_ms) override;
  ClientOutcome release_lock(const nlohmann::json& grant) override;
  ClientOutcome write_fenced(const std::string& key, const nlohmann::json& value, const nlohmann::json& grant,
                             const nlohmann::json& read_value) override;
  // A list-append transaction in two txns, as etcd_txn_json.h says.
  ClientOutcome transact(const nlohmann::json& micro_ops) override;

 private:
  HttpConnection connection_;
  bool serializable_reads_;
};

}  // namespace faultline
