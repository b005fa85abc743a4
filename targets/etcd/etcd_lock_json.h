// What EtcdKvClient sends for the lock workload and what each answer means. Pure. etcd's lock
// is a key under the lock's name, attached to a lease: the lock is held while the key exists,
// and the key goes when the holder unlocks or its lease expires (no keepalive is sent: the
// critical section is short, and a holder that stalls past its lease is what the workload
// looks for).
//   grant    /v3/lease/grant {"TTL"}                    ok: {"lease": ID}
//   lock     /v3/lock/lock {"name", "lease"}             blocks until held; ok: the grant
//                                                        {"key": the lock key (base64), "fence":
//                                                        the revision at which it was granted}
//   unlock   /v3/lock/unlock {"key"}
//   fenced   /v3/kv/txn: compare the lock key's create revision > 0 (it still exists, so the
//            lease has not expired), then put: etcd's documented way to act only while holding
// Errors map as writes do (etcd_json.h): not sent is fail; no answer, or an error after the
// request may have been proposed, is info; a fenced put whose compare failed is fail.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "etcd_json.h"

namespace faultline {

EtcdRequest etcd_lease_grant_request(std::int64_t ttl_s);
EtcdRequest etcd_lock_request(const std::string& name, const std::string& lease_id);
EtcdRequest etcd_unlock_request(const std::string& lock_key_base64);
EtcdRequest etcd_fenced_put_request(const std::string& key, const nlohmann::json& value,
                                    const std::string& lock_key_base64);

// ok: {"lease": "ID"}.
ClientOutcome etcd_lease_grant_outcome(const HttpExchange& exchange);
// ok: {"key", "fence"}.
ClientOutcome etcd_lock_outcome(const HttpExchange& exchange);

}  // namespace faultline
