// What a workload's client asks of a target: read, write and compare-and-set one key, with
// each outcome mapped exactly onto the history's types (STYLE principle 4):
//   ok    the operation took effect (read: `value` is what it returned)
//   fail  it certainly did not take effect (cas compare failed; a definite error; the
//         request never left the client, e.g. connection refused)
//   info  it may or may not have taken effect (timeout, reset after sending, an error the
//         node marks `definite: false`)
// One client is used by one logical process at a time; it keeps its connection alive.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "history/op.h"

namespace faultline {

struct ClientOutcome {
  OpType type = OpType::info;
  nlohmann::json value;  // read: the value returned (null when absent); otherwise unused
  std::string error;     // for fail and info: what happened, for people
  // For fail and info: answered, refused, unreachable or timeout (history/op.h); empty: unknown.
  std::string answer = {};
};

// Which of the three requests an answer belongs to: the targets' answer mappings
// (http_kv_client.h, etcd/etcd_json.h) classify the same status differently for each.
enum class KvRequestKind { read, write, cas, txn };

class KvClient {
 public:
  virtual ~KvClient() = default;
  virtual ClientOutcome read(const std::string& key) = 0;
  virtual ClientOutcome write(const std::string& key, const nlohmann::json& value) = 0;
  virtual ClientOutcome cas(const std::string& key, const nlohmann::json& from, const nlohmann::json& to) = 0;

  // Locks, for the lock workload. A lock has a lease: held `lease_ms` without its holder's
  // word, then free for another, whatever its holder believes. ok: the value is the grant, which
  // release_lock and write_fenced take, with "fence": a token that grows with every grant.
  // By default a lease lock built on read and cas (cas_lock.h), which any target with a
  // linearizable cas supports; a target with locks of its own (etcd) overrides all three.
  virtual ClientOutcome acquire_lock(const std::string& name, std::int64_t lease_ms);
  virtual ClientOutcome release_lock(const nlohmann::json& grant);
  // Writes `value` to `key` only while `grant` still holds (fencing). `read_value`: what the
  // holder read from `key` under the lock (the cas lock compares with it).
  virtual ClientOutcome write_fenced(const std::string& key, const nlohmann::json& value, const nlohmann::json& grant,
                                     const nlohmann::json& read_value);

  // A transaction of micro-operations, as Elle writes them: [["append", k, v], ["r", k, null]]
  // (keys and values integers). ok: it committed, and the value is the micro-operations with
  // every read's value filled in (a list; an absent key reads as null). Only targets that
  // declare the operation "txn" override it; by default nothing is sent and it fails.
  virtual ClientOutcome transact(const nlohmann::json& micro_ops);
};

}  // namespace faultline
