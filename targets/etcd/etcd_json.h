// What EtcdKvClient sends to etcd 3.4's v3 JSON gateway and what each answer means for the
// history. Pure: no sockets, so every mapping is tested against literal answers.
//
// Requests (all POST; keys and values are bytes, base64 in the JSON; a register value is stored
// as its JSON text, so 3 is the bytes "3"):
//   read   /v3/kv/range {"key", "serializable"}   linearizable unless serializable is asked for
//   write  /v3/kv/put   {"key", "value"}
//   cas    /v3/kv/txn   compare VALUE EQUAL from, on success put to; from null: compare
//                       CREATE (create_revision) EQUAL 0, i.e. the key is absent
//
// Answers (STYLE principle 4; the gateway turns a gRPC error into an HTTP status and a body
// {"error", "message", "code"}, `code` being the gRPC code):
//   not sent                        fail: the request never reached etcd (http_connection.h)
//   sent, no answer                 info: etcd may apply it (timeout, reset)
//   200 read, no "kvs"              ok, null: the key is absent
//   200 read, one kv                ok, its value parsed as JSON; a value that is not JSON is
//                                   info (we cannot record what was read)
//   200 write                       ok
//   200 cas, "succeeded": true      ok
//   200 cas, no "succeeded"         fail: the compare failed, nothing was put (proto3 JSON leaves
//                                   out a false boolean; an absent key fails the compare too)
//   read, any error status          fail: a read changes nothing, so it can be retried safely
//   write/cas, 400 or gRPC code 3   fail: InvalidArgument is refused before it is proposed
//   write/cas, any other error      info: "request timed out", "leader changed", "no leader",
//                                   Unavailable (14), 500s may all follow a proposal that commits
//   200 we cannot interpret         info: an answer we do not understand proves nothing
// The outcome's error says what happened, with etcd's own text, for people.
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include <nlohmann/json.hpp>

#include "http_connection.h"
#include "kv_client.h"

namespace faultline {

struct EtcdRequest {
  std::string path;  // under the client URL, e.g. "/v3/kv/range"; always POST
  std::string body;  // JSON
};

EtcdRequest etcd_range_request(const std::string& key, bool serializable);
EtcdRequest etcd_put_request(const std::string& key, const nlohmann::json& value);
EtcdRequest etcd_cas_request(const std::string& key, const nlohmann::json& from, const nlohmann::json& to);

// The answer mapping above, for the request of `kind` built by the functions above.
ClientOutcome etcd_outcome_of(KvRequestKind kind, const HttpExchange& exchange);

// etcd's int64 fields (revision, count, mod_revision, version) are JSON strings, as proto3 JSON
// writes 64-bit integers; a plain JSON integer is accepted too. Errors: any other JSON type,
// text that is not a whole decimal integer, or a value outside int64.
std::expected<std::int64_t, std::string> int64_of_etcd_field(const nlohmann::json& field);

}  // namespace faultline
