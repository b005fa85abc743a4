// A list-append transaction (KvClient::transact) on etcd 3.4, as Jepsen's etcd append test
// does it, in two requests to /v3/kv/txn:
//   1. one read-only txn ranges over every key the transaction touches, at one revision: each
//      key's list (its value, JSON; absent: null) and its mod revision (absent: 0). With
//      serializable reads off it is linearizable.
//   2. only when the transaction appends: one txn that puts every appended key's grown list,
//      guarded by compare MOD EQUAL on every key the transaction touches (reads included),
//      so it commits only if none changed since step 1, and then its reads were true at its
//      commit: the whole transaction takes effect at one point, strict serializable.
// Outcomes: step 1 failing or unanswered is fail (nothing was written); a read-only
// transaction is ok after step 1; step 2 maps as a cas does (etcd_json.h): succeeded ok, a
// failed guard fail (another transaction changed a key: nothing was put), errors before a
// proposal fail, anything else info. The ok value is the micro-operations with the reads
// filled in. Pure: no sockets, so every mapping is tested against literal answers.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "etcd_json.h"
#include "http_connection.h"
#include "kv_client.h"
#include "list_txn.h"

namespace faultline {

// etcd's key for list-append key `key`: "list-<key>".
std::string etcd_list_key(std::int64_t key);

struct EtcdListSnapshot {
  std::map<std::int64_t, nlohmann::json> lists;         // absent key: null
  std::map<std::int64_t, std::int64_t> mod_revisions;  // absent key: 0
};

EtcdRequest etcd_list_snapshot_request(const std::vector<std::int64_t>& keys, bool serializable);
// Step 1's answer: the snapshot, or the outcome of the transaction (fail: nothing written).
std::expected<EtcdListSnapshot, ClientOutcome> etcd_list_snapshot_of(const std::vector<std::int64_t>& keys,
                                                                    const HttpExchange& exchange);

// Step 2: put `plan.writes` if no key of `keys` changed since `snapshot`.
EtcdRequest etcd_guarded_put_request(const std::vector<std::int64_t>& keys, const EtcdListSnapshot& snapshot,
                                     const ListTxnPlan& plan);

}  // namespace faultline
