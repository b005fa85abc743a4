// The answer mapping of HttpKvClient against literal exchanges, and the classification of
// curl errors. No network.
#include "http_kv_client.h"

#include <curl/curl.h>

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

HttpExchange answered(long status, std::string body) {
  return HttpExchange{Delivery::answered, status, std::move(body), ""};
}

}  // namespace

TEST_CASE("200 is ok, and a read returns its value") {
  const ClientOutcome read = outcome_of(KvRequestKind::read, answered(200, R"({"value": 3})"));
  CHECK(read.type == OpType::ok);
  CHECK(read.value == 3);
  CHECK(outcome_of(KvRequestKind::read, answered(200, R"({"value": null})")).value.is_null());
  CHECK(outcome_of(KvRequestKind::write, answered(200, R"({"ok": true})")).type == OpType::ok);
  CHECK(outcome_of(KvRequestKind::cas, answered(200, "")).type == OpType::ok);
}

TEST_CASE("a transaction answered 200 returns its micro-operations, without them it is info") {
  const ClientOutcome txn = outcome_of(KvRequestKind::txn, answered(200, R"({"txn": [["r", 1, [2]]]})"));
  CHECK(txn.type == OpType::ok);
  CHECK(txn.value == nlohmann::json::parse(R"([["r", 1, [2]]])"));
  CHECK(outcome_of(KvRequestKind::txn, answered(200, R"({"value": 3})")).type == OpType::info);
  CHECK(outcome_of(KvRequestKind::txn, answered(503, R"({"definite": true, "error": "x"})")).type == OpType::fail);
  CHECK(outcome_of(KvRequestKind::txn, answered(503, R"({"definite": false, "error": "x"})")).type == OpType::info);
}

TEST_CASE("a read answered 200 without a value is info") {
  CHECK(outcome_of(KvRequestKind::read, answered(200, "not json")).type == OpType::info);
  CHECK(outcome_of(KvRequestKind::read, answered(200, R"({"ok": true})")).type == OpType::info);
}

TEST_CASE("409 fails a cas, and on other requests it proves nothing") {
  const ClientOutcome cas =
      outcome_of(KvRequestKind::cas, answered(409, R"({"error": "value is 2", "definite": true})"));
  CHECK(cas.type == OpType::fail);
  CHECK(cas.error == "HTTP 409: value is 2");
  CHECK(outcome_of(KvRequestKind::write, answered(409, "{}")).type == OpType::info);
}

TEST_CASE("503 follows the node's definite flag, and without one it is info") {
  CHECK(outcome_of(KvRequestKind::write, answered(503, R"({"error": "no quorum", "definite": true})")).type ==
        OpType::fail);
  const ClientOutcome indefinite =
      outcome_of(KvRequestKind::write, answered(503, R"({"error": "accept timed out", "definite": false})"));
  CHECK(indefinite.type == OpType::info);
  CHECK(indefinite.error == "HTTP 503 indefinite: accept timed out");
  CHECK(outcome_of(KvRequestKind::cas, answered(503, R"({"error": "x"})")).type == OpType::info);
  CHECK(outcome_of(KvRequestKind::cas, answered(503, "garbage")).type == OpType::info);
}

TEST_CASE("400 is a fail with the node's message, and other statuses are info") {
  const ClientOutcome malformed = outcome_of(KvRequestKind::write, answered(400, R"({"error": "no value field"})"));
  CHECK(malformed.type == OpType::fail);
  CHECK(malformed.error == "HTTP 400 (malformed request): no value field");
  CHECK(outcome_of(KvRequestKind::read, answered(500, "")).type == OpType::info);
  CHECK(outcome_of(KvRequestKind::read, answered(404, "")).type == OpType::info);
}

TEST_CASE("not sent is fail, maybe sent is info") {
  CHECK(outcome_of(KvRequestKind::write, HttpExchange{Delivery::not_sent, 0, "", "refused"}).type == OpType::fail);
  CHECK(outcome_of(KvRequestKind::write, HttpExchange{Delivery::maybe_sent, 0, "", "timeout"}).type == OpType::info);
}

TEST_CASE("curl errors: nothing written is not sent, anything written may have been") {
  CHECK(delivery_of_curl_error(CURLE_COULDNT_CONNECT, 0) == Delivery::not_sent);
  CHECK(delivery_of_curl_error(CURLE_OPERATION_TIMEDOUT, 0) == Delivery::not_sent);  // connect timeout
  CHECK(delivery_of_curl_error(CURLE_COULDNT_RESOLVE_HOST, 0) == Delivery::not_sent);
  CHECK(delivery_of_curl_error(CURLE_OPERATION_TIMEDOUT, 120) == Delivery::maybe_sent);
  CHECK(delivery_of_curl_error(CURLE_GOT_NOTHING, 120) == Delivery::maybe_sent);
  CHECK(delivery_of_curl_error(CURLE_RECV_ERROR, 120) == Delivery::maybe_sent);
  CHECK(delivery_of_curl_error(CURLE_SEND_ERROR, 40) == Delivery::maybe_sent);
  // curl retried a request sent on a dead keep-alive connection and then could not connect:
  // the first attempt may have been applied.
  CHECK(delivery_of_curl_error(CURLE_COULDNT_CONNECT, 120) == Delivery::maybe_sent);
  CHECK(delivery_of_curl_error(CURLE_URL_MALFORMAT, 0) == Delivery::not_sent);
}
