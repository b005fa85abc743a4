// KvClient for ZooKeeper through its C client (libzookeeper-mt), bound to one server, as the
// bundled target's clients are to one node. A key is a znode, /faultline/<key> (created by the
// first write), holding the value as JSON text:
//   read   get (with --zookeeper-reads sync: sync first, what ZooKeeper documents for a read
//          that must see every write completed before it began); an absent znode reads null
//   write  set with version -1, or create when the znode does not exist yet
//   cas    get, compare the value, then set with the version read (ZBADVERSION: fail)
//   locks  ZooKeeper's lock recipe: an ephemeral sequential znode under
//          /faultline-locks/<name>; the lowest one holds the lock (the client polls the
//          children every cas_lock_poll_ms, up to cas_lock_wait_ms_max, instead of watching its
//          predecessor). The lease is the session: when the holder's session expires its node is
//          gone and the next contender holds the lock, whatever the old holder believes. The
//          fence is the node's sequence number; a fenced write is a multi that checks the node
//          still exists and sets the key. An acquire that cannot finish closes its session, so
//          that its node cannot hold the lock for nobody.
//   txn    list-append transactions (list_txn.h): get every key's znode /faultline/list-<key>
//          (after a sync, with --zookeeper-reads sync), run the micro-operations here, then one
//          multi that commits only if nothing it read changed: a check of the version read for
//          each key read, a set with that version (or a create) for each key appended to, and a
//          create-then-delete for each key read as absent (it fails if the key appeared). Read-only
//          transactions send the multi too, so that every transaction is checked at the leader:
//          strict serializable. A refused multi is fail; an unanswered one info (fail when the
//          transaction writes nothing).
// Every request waits at most the request timeout (the C client's own timeouts are the
// session's); answers map as zookeeper_outcome.h says. A session that expired is replaced by
// a new one before the next request.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "adapter/kv_client.h"

namespace faultline {

struct ZooKeeperClientOptions {
  std::string address;            // "HOST:PORT" of the one server
  bool sync_reads = false;
  std::int64_t request_timeout_ms = 2'000;
  std::int64_t session_timeout_ms = 4'000;
  std::string network_namespace;  // the namespace the client connects from (netns); empty: ours
};

class ZooKeeperKvClient final : public KvClient {
 public:
  explicit ZooKeeperKvClient(ZooKeeperClientOptions options);
  ~ZooKeeperKvClient() override;

  ClientOutcome read(const std::string& key) override;
  ClientOutcome write(const std::string& key, const nlohmann::json& value) override;
  ClientOutcome cas(const std::string& key, const nlohmann::json& from, const nlohmann::json& to) override;
  ClientOutcome acquire_lock(const std::string& name, std::int64_t lease_ms) override;
  ClientOutcome release_lock(const nlohmann::json& grant) override;
  ClientOutcome write_fenced(const std::string& key, const nlohmann::json& value, const nlohmann::json& grant,
                             const nlohmann::json& read_value) override;
  ClientOutcome transact(const nlohmann::json& micro_ops) override;

 private:
  struct Session;
  // The session, connected or connecting; a new one after an expiry.
  Session* session();
  // Creates a persistent znode unless it exists; false when that is not known to be done.
  bool ensure_node(Session* session, const std::string& path);
  ZooKeeperClientOptions options_;
  std::unique_ptr<Session> session_;
};

}  // namespace faultline
