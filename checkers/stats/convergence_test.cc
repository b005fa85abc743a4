// The convergence check against literal histories: final reads per node, compared per key.
#include <catch2/catch.hpp>
#include <string>

#include "history/history_literal.h"
#include "stats/convergence.h"

using namespace faultline;

namespace {

// One op of process p on `node` (empty: none recorded), key "k" unless given.
std::string op(int process, const std::string& type, const std::string& f, int time, const std::string& value,
               const std::string& node, const std::string& key = "k") {
  std::string text = R"({"process":)" + std::to_string(process) + R"(,"type":")" + type + R"(","f":")" + f +
                     R"(","key":")" + key + R"(","value":)" + value + R"(,"time":)" + std::to_string(time);
  if (!node.empty()) text += R"(,"node":")" + node + "\"";
  return text + "}\n";
}

std::string final_read(int process, int time, const std::string& value, const std::string& node,
                       const std::string& key = "k") {
  return op(process, "invoke", "read", time, "null", node, key) + op(process, "ok", "read", time + 1, value, node, key);
}

const std::string write_1 = op(0, "invoke", "write", 0, "1", "n1") + op(0, "ok", "write", 5, "1", "n1");

}  // namespace

TEST_CASE("convergence: every node reads the same final value") {
  const History history = test::history_from_jsonl(write_1 + final_read(10, 10, "1", "n1") +
                                                   final_read(11, 20, "1", "n2") + final_read(12, 30, "1", "n3"));
  const auto result = check_convergence(history);
  REQUIRE(result);
  CHECK(result->verdict == Verdict::valid);
  CHECK(result->details["keys"] == 1);
  CHECK(result->details["agreeing"] == 1);
}

TEST_CASE("convergence: a node that answers differently after the recovery is invalid, named with its value") {
  const History history = test::history_from_jsonl(write_1 + final_read(10, 10, "1", "n1") +
                                                   final_read(11, 20, "null", "n2") + final_read(12, 30, "1", "n3"));
  const auto result = check_convergence(history);
  REQUIRE(result);
  CHECK(result->verdict == Verdict::invalid);
  REQUIRE(result->details["disagreeing"].size() == 1);
  const nlohmann::json& reads = result->details["disagreeing"][0]["reads"];
  CHECK(reads[1]["node"] == "n2");
  CHECK(reads[1]["value"] == nullptr);
  CHECK_THAT(result->details["reason"].get<std::string>(), Catch::Contains("n2 null"));
}

TEST_CASE("convergence: reads made while a write was still running are not final") {
  // n2 read 0 before the write of 1 completed: not a final read, so nothing disagrees.
  const History history = test::history_from_jsonl(
      op(0, "invoke", "write", 0, "1", "n1") + final_read(11, 2, "0", "n2") + op(0, "ok", "write", 5, "1", "n1") +
      final_read(10, 10, "1", "n1") + final_read(12, 30, "1", "n3"));
  const auto result = check_convergence(history);
  REQUIRE(result);
  CHECK(result->verdict == Verdict::valid);
}

TEST_CASE("convergence: a disagreement a write of unknown outcome explains is unknown, not invalid") {
  const History history = test::history_from_jsonl(
      write_1 + op(1, "invoke", "write", 6, "2", "n2") + op(1, "info", "write", 8, "2", "n2") +
      final_read(10, 10, "1", "n1") + final_read(11, 20, "2", "n2"));
  // The info write "completed" at 8, so the reads count as final; its value 2 may have landed late.
  const auto result = check_convergence(history);
  REQUIRE(result);
  CHECK(result->verdict == Verdict::unknown);
  CHECK(result->details["disagreeing"][0]["explained_by_unknown_write"] == true);
}

TEST_CASE("convergence: keys are compared one by one, a key read by one node only is not compared") {
  const History history = test::history_from_jsonl(final_read(10, 10, "1", "n1", "a") + final_read(11, 20, "1", "n2", "a") +
                                                   final_read(12, 30, "5", "n1", "b"));
  const auto result = check_convergence(history);
  REQUIRE(result);
  CHECK(result->verdict == Verdict::valid);
  CHECK(result->details["keys"] == 1);
  CHECK(result->details["unanswered_keys"] == 1);
}

TEST_CASE("convergence: no final reads is unknown, a history without nodes is not checked") {
  auto result = check_convergence(test::history_from_jsonl(write_1));
  REQUIRE(result);
  CHECK(result->verdict == Verdict::unknown);
  const History foreign = test::history_from_jsonl(op(0, "invoke", "read", 0, "null", "") + op(0, "ok", "read", 1, "1", ""));
  CHECK_FALSE(check_convergence(foreign));
}
