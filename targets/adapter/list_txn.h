// A list-append transaction (KvClient::transact) as a client runs it on a store without
// transactions of its own, optimistically: read every key the transaction touches (with a
// version), run the micro-operations on those lists here, then write the grown lists only if
// no key changed since it was read (etcd: a guarded txn; ZooKeeper: a multi of checks and
// sets). The pieces every such target shares; each target reads and writes in its own way.
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline {

// The keys a transaction touches, in order of first use; an error (for people) when it is not
// a list of ["append", k, v] / ["r", k, null] with integer keys and appended values.
std::expected<std::vector<std::int64_t>, std::string> list_txn_keys(const nlohmann::json& micro_ops);

// The transaction run on `lists` (each key's list as read; absent: null): the
// micro-operations with every read filled in (a read after an append in the same transaction
// sees it), and the grown list of every appended key.
struct ListTxnPlan {
  nlohmann::json completed;
  std::map<std::int64_t, nlohmann::json> writes;
};
// Errors: a stored value that is not a list.
std::expected<ListTxnPlan, std::string> plan_list_txn(const nlohmann::json& micro_ops,
                                                      const std::map<std::int64_t, nlohmann::json>& lists);

}  // namespace faultline
