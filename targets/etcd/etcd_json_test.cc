// etcd_json against literal requests, and answers shaped like those of etcd 3.4's JSON gateway.
// No network.
#include "etcd_json.h"

#include <catch2/catch.hpp>

using namespace faultline;
using nlohmann::json;

namespace {

HttpExchange answered(long status, std::string body) {
  return HttpExchange{Delivery::answered, status, std::move(body), ""};
}

// A header as etcd sends it: every int64 a string.
const std::string header =
    R"("header":{"cluster_id":"14841639068965178418","member_id":"10276657743932975437",)"
    R"("revision":"12","raft_term":"2"})";

std::string range_answer_with_value(const std::string& value64) {
  return "{" + header + R"(,"kvs":[{"key":"azE=","create_revision":"5","mod_revision":"12","version":"3","value":")" +
         value64 + R"("}],"count":"1"})";
}

}  // namespace

TEST_CASE("requests are built with base64 keys and JSON-text values") {
  const EtcdRequest linearizable = etcd_range_request("k1", false);
  CHECK(linearizable.path == "/v3/kv/range");
  CHECK(json::parse(linearizable.body) == json::parse(R"({"key": "azE=", "serializable": false})"));
  CHECK(json::parse(etcd_range_request("k1", true).body) == json::parse(R"({"key": "azE=", "serializable": true})"));

  const EtcdRequest put = etcd_put_request("k1", 3);
  CHECK(put.path == "/v3/kv/put");
  CHECK(json::parse(put.body) == json::parse(R"({"key": "azE=", "value": "Mw=="})"));
  // A string value is stored as its JSON text, quotes included.
  CHECK(json::parse(etcd_put_request("k1", "x").body) == json::parse(R"({"key": "azE=", "value": "Ingi"})"));

  const EtcdRequest cas = etcd_cas_request("k1", 3, 4);
  CHECK(cas.path == "/v3/kv/txn");
  CHECK(json::parse(cas.body) == json::parse(R"({
    "compare": [{"key": "azE=", "target": "VALUE", "result": "EQUAL", "value": "Mw=="}],
    "success": [{"request_put": {"key": "azE=", "value": "NA=="}}]})"));
  // From nothing: the key must be absent (create revision 0), which a VALUE compare cannot say.
  CHECK(json::parse(etcd_cas_request("k1", nullptr, json::array({7})).body) == json::parse(R"({
    "compare": [{"key": "azE=", "target": "CREATE", "result": "EQUAL", "create_revision": "0"}],
    "success": [{"request_put": {"key": "azE=", "value": "Wzdd"}}]})"));
}

TEST_CASE("a range answer with one kv reads its value as JSON") {
  const ClientOutcome three = etcd_outcome_of(KvRequestKind::read, answered(200, range_answer_with_value("Mw==")));
  CHECK(three.type == OpType::ok);
  CHECK(three.value == 3);
  const ClientOutcome object =
      etcd_outcome_of(KvRequestKind::read, answered(200, range_answer_with_value("eyJhIjpbMSwyXX0=")));
  CHECK(object.type == OpType::ok);
  CHECK(object.value == json::parse(R"({"a": [1, 2]})"));
}

TEST_CASE("a range answer without kvs reads an absent key: ok, null") {
  const ClientOutcome absent = etcd_outcome_of(KvRequestKind::read, answered(200, "{" + header + "}"));
  CHECK(absent.type == OpType::ok);
  CHECK(absent.value.is_null());
  CHECK(etcd_outcome_of(KvRequestKind::read, answered(200, "{" + header + R"(,"count":"0"})")).type == OpType::ok);
  // A count saying a kv exists when none came back: we misread something.
  CHECK(etcd_outcome_of(KvRequestKind::read, answered(200, "{" + header + R"(,"count":"1"})")).type == OpType::info);
}

TEST_CASE("a stored value that is not JSON, or a range answer we cannot read, is info") {
  const ClientOutcome not_json =
      etcd_outcome_of(KvRequestKind::read, answered(200, range_answer_with_value("bm90IGpzb24=")));
  CHECK(not_json.type == OpType::info);
  CHECK(not_json.error == "stored value is not JSON: not json");
  CHECK(not_json.value.is_null());
  CHECK(etcd_outcome_of(KvRequestKind::read, answered(200, range_answer_with_value("Mw="))).type == OpType::info);
  CHECK(etcd_outcome_of(KvRequestKind::read, answered(200, "not json")).type == OpType::info);
  CHECK(etcd_outcome_of(KvRequestKind::read, answered(200, "{}")).type == OpType::info);  // no header
  const std::string two_kvs = "{" + header + R"(,"kvs":[{"value":"Mw=="},{"value":"NA=="}],"count":"2"})";
  CHECK(etcd_outcome_of(KvRequestKind::read, answered(200, two_kvs)).type == OpType::info);
}

TEST_CASE("a put answered 200 is ok") {
  const ClientOutcome put = etcd_outcome_of(KvRequestKind::write, answered(200, "{" + header + "}"));
  CHECK(put.type == OpType::ok);
  CHECK(put.error.empty());
}

TEST_CASE("a txn is ok only when it succeeded, without succeeded, or false, the compare failed") {
  const std::string succeeded =
      "{" + header + R"(,"succeeded":true,"responses":[{"response_put":{"header":{"revision":"13"}}}]})";
  CHECK(etcd_outcome_of(KvRequestKind::cas, answered(200, succeeded)).type == OpType::ok);
  const ClientOutcome omitted = etcd_outcome_of(KvRequestKind::cas, answered(200, "{" + header + "}"));
  CHECK(omitted.type == OpType::fail);
  CHECK(omitted.error == "compare failed: the value was not `from`");
  CHECK(etcd_outcome_of(KvRequestKind::cas, answered(200, "{" + header + R"(,"succeeded":false})")).type ==
        OpType::fail);
  // Without a header the missing field proves nothing.
  CHECK(etcd_outcome_of(KvRequestKind::cas, answered(200, "{}")).type == OpType::info);
  CHECK(etcd_outcome_of(KvRequestKind::cas, answered(200, "")).type == OpType::info);
  CHECK(etcd_outcome_of(KvRequestKind::cas, answered(200, "{" + header + R"(,"succeeded":"true"})")).type ==
        OpType::info);
}

TEST_CASE("int64 fields are read from strings and from numbers") {
  CHECK(int64_of_etcd_field(json("12")) == 12);
  CHECK(int64_of_etcd_field(json("-3")) == -3);
  CHECK(int64_of_etcd_field(json("9223372036854775807")) == INT64_MAX);
  CHECK(int64_of_etcd_field(json(12)) == 12);
  CHECK(int64_of_etcd_field(json(-12)) == -12);
}

TEST_CASE("int64 fields of another type, or text that is not one integer, are errors that say so") {
  const auto boolean = int64_of_etcd_field(json(true));
  REQUIRE_FALSE(boolean.has_value());
  CHECK(boolean.error() == "expected an integer or a string holding one, got true");
  CHECK_FALSE(int64_of_etcd_field(json(1.5)).has_value());
  CHECK_FALSE(int64_of_etcd_field(json(nullptr)).has_value());
  CHECK_FALSE(int64_of_etcd_field(json::array()).has_value());
  CHECK(int64_of_etcd_field(json("12x")).error() == "\"12x\" is not a decimal integer");
  CHECK_FALSE(int64_of_etcd_field(json("")).has_value());
  CHECK_FALSE(int64_of_etcd_field(json(" 12")).has_value());
  CHECK_FALSE(int64_of_etcd_field(json("+12")).has_value());
  CHECK(int64_of_etcd_field(json("9223372036854775808")).error() == "\"9223372036854775808\" is outside int64");
  CHECK_FALSE(int64_of_etcd_field(json(std::uint64_t{9223372036854775808u})).has_value());
}

TEST_CASE("an error answer fails a read, whatever it says") {
  const std::string timed_out =
      R"({"error":"etcdserver: request timed out","message":"etcdserver: request timed out","code":14})";
  const ClientOutcome read = etcd_outcome_of(KvRequestKind::read, answered(503, timed_out));
  CHECK(read.type == OpType::fail);
  CHECK(read.error == "HTTP 503 (gRPC code 14): etcdserver: request timed out");
  CHECK(etcd_outcome_of(KvRequestKind::read, answered(500, "")).type == OpType::fail);
}

TEST_CASE("a write or cas that may have been proposed is info") {
  const std::string timed_out =
      R"({"error":"etcdserver: request timed out","message":"etcdserver: request timed out","code":14})";
  const ClientOutcome write = etcd_outcome_of(KvRequestKind::write, answered(503, timed_out));
  CHECK(write.type == OpType::info);
  CHECK(write.error == "HTTP 503 (gRPC code 14): etcdserver: request timed out");
  const std::string leader_changed = R"({"message":"etcdserver: leader changed","code":14})";
  const ClientOutcome cas = etcd_outcome_of(KvRequestKind::cas, answered(503, leader_changed));
  CHECK(cas.type == OpType::info);
  CHECK(cas.error == "HTTP 503 (gRPC code 14): etcdserver: leader changed");  // "message" when there is no "error"
  const ClientOutcome garbage = etcd_outcome_of(KvRequestKind::write, answered(500, "<html>oops</html>"));
  CHECK(garbage.type == OpType::info);
  CHECK(garbage.error == "HTTP 500: <html>oops</html>");
}

TEST_CASE("a write or cas refused as invalid is a fail") {
  const std::string too_large =
      R"({"error":"etcdserver: request is too large","message":"etcdserver: request is too large","code":3})";
  const ClientOutcome write = etcd_outcome_of(KvRequestKind::write, answered(400, too_large));
  CHECK(write.type == OpType::fail);
  CHECK(write.error == "HTTP 400 (gRPC code 3): etcdserver: request is too large");
  CHECK(etcd_outcome_of(KvRequestKind::cas, answered(400, "")).type == OpType::fail);
  // InvalidArgument is refused before proposing, whichever status carries it.
  CHECK(etcd_outcome_of(KvRequestKind::cas, answered(500, R"({"error":"bad","code":3})")).type == OpType::fail);
}

TEST_CASE("not sent is fail, sent without an answer is info, for every request") {
  for (const KvRequestKind kind : {KvRequestKind::read, KvRequestKind::write, KvRequestKind::cas}) {
    const ClientOutcome refused =
        etcd_outcome_of(kind, HttpExchange{Delivery::not_sent, 0, "", "Couldn't connect to server"});
    CHECK(refused.type == OpType::fail);
    CHECK(refused.error == "not sent: Couldn't connect to server");
    const ClientOutcome timed_out =
        etcd_outcome_of(kind, HttpExchange{Delivery::maybe_sent, 0, "", "Operation timed out"});
    CHECK(timed_out.type == OpType::info);
    CHECK(timed_out.error == "no answer: Operation timed out");
  }
}
