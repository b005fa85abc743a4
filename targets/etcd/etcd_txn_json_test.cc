// The list-append transaction on etcd (etcd_txn_json.h) against literal requests and answers
// shaped like etcd 3.4's JSON gateway's. No network.
#include "etcd_txn_json.h"

#include <catch2/catch.hpp>

#include "base64.h"

using namespace faultline;
using nlohmann::json;

namespace {

HttpExchange answered(long status, std::string body) { return HttpExchange{Delivery::answered, status, std::move(body), ""}; }

const std::string header = R"("header":{"cluster_id":"1","member_id":"2","revision":"40","raft_term":"2"})";

// A txn of ranges: key 3 holds [1 2] (mod revision 17), key 4 is absent.
std::string snapshot_answer() {
  return "{" + header + R"(,"succeeded":true,"responses":[{"response_range":{)" + header +
         R"(,"kvs":[{"key":")" + base64_encode("list-3") + R"(","create_revision":"9","mod_revision":"17","version":"2","value":")" +
         base64_encode("[1,2]") + R"("}],"count":"1"}},{"response_range":{)" + header + "}}]}";
}

const json micro_ops = json::parse(R"([["r",3,null],["append",4,1],["r",4,null],["append",3,3]])");

}  // namespace

TEST_CASE("etcd list-append: the keys a transaction touches, and malformed transactions") {
  CHECK(list_txn_keys(micro_ops).value() == std::vector<std::int64_t>{3, 4});
  CHECK_FALSE(list_txn_keys(json::array()).has_value());
  CHECK_FALSE(list_txn_keys(json::parse(R"([["append",1,"x"]])")).has_value());
  CHECK_FALSE(list_txn_keys(json::parse(R"([["w",1,2]])")).has_value());
}

TEST_CASE("etcd list-append: one read-only txn reads every key at one revision") {
  const EtcdRequest request = etcd_list_snapshot_request({3, 4}, false);
  CHECK(request.path == "/v3/kv/txn");
  const json body = json::parse(request.body);
  CHECK_FALSE(body.contains("compare"));
  REQUIRE(body["success"].size() == 2);
  CHECK(body["success"][1]["request_range"]["key"] == base64_encode("list-4"));
  CHECK(body["success"][1]["request_range"]["serializable"] == false);
}

TEST_CASE("etcd list-append: the snapshot, the plan and the guarded put") {
  const auto snapshot = etcd_list_snapshot_of({3, 4}, answered(200, snapshot_answer()));
  REQUIRE(snapshot.has_value());
  CHECK(snapshot->lists.at(3) == json::array({1, 2}));
  CHECK(snapshot->lists.at(4).is_null());
  CHECK(snapshot->mod_revisions.at(3) == 17);
  CHECK(snapshot->mod_revisions.at(4) == 0);

  const auto plan = plan_list_txn(micro_ops, snapshot->lists);
  REQUIRE(plan.has_value());
  // Reads see the snapshot, and this transaction's own earlier appends.
  CHECK(plan->completed == json::parse(R"([["r",3,[1,2]],["append",4,1],["r",4,[1]],["append",3,3]])"));
  CHECK(plan->writes.at(3) == json::array({1, 2, 3}));
  CHECK(plan->writes.at(4) == json::array({1}));

  const json put = json::parse(etcd_guarded_put_request({3, 4}, *snapshot, *plan).body);
  // Every key touched is guarded, the read ones too; an absent key by mod revision 0.
  REQUIRE(put["compare"].size() == 2);
  CHECK(put["compare"][0] == json{{"key", base64_encode("list-3")}, {"target", "MOD"}, {"result", "EQUAL"}, {"mod_revision", "17"}});
  CHECK(put["compare"][1]["mod_revision"] == "0");
  REQUIRE(put["success"].size() == 2);
  CHECK(base64_decode(put["success"][0]["request_put"]["value"].get<std::string>()) == "[1,2,3]");
}

TEST_CASE("etcd list-append: a read step that fails or goes unanswered wrote nothing") {
  const auto refused = etcd_list_snapshot_of({3}, answered(503, R"({"error":"etcdserver: no leader","code":14})"));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().type == OpType::fail);
  const auto lost = etcd_list_snapshot_of({3}, HttpExchange{Delivery::maybe_sent, 0, "", "timed out"});
  REQUIRE_FALSE(lost.has_value());
  CHECK(lost.error().type == OpType::fail);
  const auto short_answer = etcd_list_snapshot_of({3, 4}, answered(200, "{" + header + R"(,"responses":[]})"));
  CHECK_FALSE(short_answer.has_value());
}

TEST_CASE("etcd list-append: a stored value that is not a list is refused before anything is put") {
  EtcdListSnapshot snapshot;
  snapshot.lists[3] = 5;
  snapshot.mod_revisions[3] = 2;
  CHECK_FALSE(plan_list_txn(json::parse(R"([["append",3,1]])"), snapshot.lists).has_value());
}
