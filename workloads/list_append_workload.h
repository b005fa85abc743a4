// The list-append workload, after Jepsen's append workload: each op is a transaction of 1 to
// list_append_txn_length_max micro-operations, each an append of a unique integer to a key's
// list or a read of a key's whole list, over a few active keys at a time; a key that has taken
// list_append_writes_per_key_max appends is retired and a fresh key takes its place, so lists
// stay short. Elle's list-append checker (checkers/transactions/list_append.h) then infers the
// order of every key's appends from the reads and looks for the cycles the claimed consistency
// model forbids.
//
// An op: f "txn", value [["append", 3, 7], ["r", 4, null]] (keys and values integers; a
// value is unique per key: 1, 2, 3, ... in the order drawn). The target performs it in one
// transaction (KvClient::transact); its ok completion holds what each read returned.
#pragma once

#include <memory>
#include <string>

#include "workload.h"

namespace faultline {

inline constexpr int list_append_active_keys = 3;
inline constexpr int list_append_txn_length_max = 4;
inline constexpr int list_append_writes_per_key_max = 32;
// The share of micro-operations that read, in percent.
inline constexpr int list_append_read_percent = 50;

// `consistency`: the model the target claims, as Elle names it (strict-serializable,
// serializable, snapshot-isolation, ...); the checker reports what the history rules out.
std::unique_ptr<Workload> make_list_append_workload(std::string consistency);

// The rw-register workload, Elle's other one: the same transactions and keys, with writes of a
// unique integer per key (["w", 3, 7]) in place of appends, checked by the rw-register checker
// (checkers/transactions/rw_register.h). Its transactions need the operation "txn-write" of a
// target besides "txn": a target that runs only list-append transactions (etcd) refuses it.
std::unique_ptr<Workload> make_rw_register_workload(std::string consistency);

}  // namespace faultline
