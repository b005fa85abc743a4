// How a ZooKeeper client's result codes map onto the history's types, once, for every request
// (the C client's codes, zookeeper.h):
//   ZOK                                   ok
//   ZBADVERSION on the cas's set          fail: another write came first; nothing was written
//   not connected when asked              fail: nothing was sent
//   ZCONNECTIONLOSS, ZOPERATIONTIMEOUT,   a read: fail (it changed nothing); a write or cas: info,
//   ZSESSIONEXPIRED, ZCLOSING, no answer  since the server may have applied what was sent
//   in time (request_timeout)
//   anything else                         the same as a lost connection: info for writes
// Pure: the client (zookeeper_kv_client.h) calls it with what happened.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "adapter/kv_client.h"

namespace faultline {

// What became of one request to the server.
struct ZooKeeperAnswer {
  bool sent = true;       // false: nothing went out (not connected, or the call refused it: `code`)
  bool answered = true;   // false: no completion within the request timeout
  int code = 0;           // the completion's result code (answered only)
};

// The outcome of a request of `kind` that got `answer`; `what` names the request for people
// ("set /faultline/k1"). For ZOK the caller fills in the value.
ClientOutcome zookeeper_outcome(KvRequestKind kind, const ZooKeeperAnswer& answer, const std::string& what);

// The C client's name of a result code ("ZCONNECTIONLOSS"), or the number.
std::string zookeeper_code_name(int code);

inline constexpr const char* zookeeper_keys_root = "/faultline";
inline constexpr const char* zookeeper_locks_root = "/faultline-locks";

// The znode of a key: /faultline/<key>, every byte outside [A-Za-z0-9._-] as %XX.
std::string zookeeper_path_of(const std::string& key);

// The znode under which lock `name`'s contenders queue: /faultline-locks/<name>, escaped alike.
std::string zookeeper_lock_path_of(const std::string& name);

// The sequence number ZooKeeper appended to a sequential node's name ("lock-0000000042": 42).
std::optional<std::int64_t> zookeeper_lock_sequence(const std::string& node);

}  // namespace faultline
