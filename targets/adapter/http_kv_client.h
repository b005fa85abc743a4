// KvClient for the bundled node's JSON API (targets/bundled/README.md), over one keep-alive
// HttpConnection. Every answer maps onto the history's types exactly once, here:
//   200                         ok (read: the "value" of the body; transaction: its "txn")
//   409 on cas                  fail: the value was not `from`; the node certainly did not apply it
//   503 {"definite": true}      fail: the node says it certainly did not apply it
//   503 {"definite": false}     info: it may have been applied
//   400                         fail: the node rejected the request as malformed, never applied
//   request never sent          fail (connection refused, connect timeout: see http_connection.h)
//   sent, no answer             info (timeout, reset, empty reply)
//   anything else               info: an answer we cannot interpret proves nothing
// The error text says what happened, for people.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "adapter_limits.h"
#include "http_connection.h"
#include "kv_client.h"

namespace faultline {

// What an exchange without an answer means, for every HTTP client of a target: nothing sent is
// fail (unreachable), sent without an answer is info (timeout); nullopt when it was answered.
std::optional<ClientOutcome> outcome_of_unanswered(const HttpExchange& exchange);

// The pure mapping above, from what the connection saw to the client's outcome.
ClientOutcome outcome_of(KvRequestKind kind, const HttpExchange& exchange);

class HttpKvClient final : public KvClient {
 public:
  // `base_url` like "http://127.0.0.1:8001"; `network_namespace` as for HttpConnection.
  explicit HttpKvClient(std::string base_url, std::int64_t request_timeout_ms = faultline::request_timeout_ms,
                        std::int64_t connect_timeout_ms = faultline::connect_timeout_ms,
                        const std::string& network_namespace = "");

  ClientOutcome read(const std::string& key) override;
  ClientOutcome write(const std::string& key, const nlohmann::json& value) override;
  ClientOutcome cas(const std::string& key, const nlohmann::json& from, const nlohmann::json& to) override;
  // POST /txn {"txn": micro_ops}: 200 {"txn": the micro-ops, reads filled in}; the rest as above.
  ClientOutcome transact(const nlohmann::json& micro_ops) override;

 private:
  std::string key_path(const std::string& key);
  HttpConnection connection_;
};

}  // namespace faultline
