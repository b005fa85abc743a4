// The fast JSON Lines scanner must read every line exactly as the full parser does, and
// leave every line it is unsure of to the full parser.
#include <random>

#include <catch2/catch.hpp>

#include "history/jsonl.h"
#include "history/jsonl_scan.h"

using namespace faultline;

namespace {

// Scans `line`; when the scanner takes it, the full parser must give the same op.
bool scanned_same_as_parsed(const std::string& line) {
  auto scanned = scan_jsonl_op(line);
  if (!scanned) return false;
  auto parsed = parse_jsonl_op(line, "t", 1);
  INFO(line);
  REQUIRE(parsed.has_value());
  CHECK(op_to_json(*scanned) == op_to_json(*parsed));
  return true;
}

}  // namespace

TEST_CASE("the scanner reads the lines faultline writes") {
  CHECK(scanned_same_as_parsed(R"({"index":4,"time":1200345,"process":2,"type":"ok","f":"cas","key":"k7","value":[1,3]})"));
  CHECK(scanned_same_as_parsed(R"({"process":"nemesis","type":"info","f":"kill","value":["n1","n2"]})"));
  CHECK(scanned_same_as_parsed(R"( { "process" : 0 , "type" : "invoke" , "f" : "read" , "value" : null } )"));
  CHECK(scanned_same_as_parsed(R"({"process":0,"type":"invoke","f":"write","key":17,"value":-5})"));
  CHECK(scanned_same_as_parsed(R"({"process":0,"type":"invoke","f":"write","value":[]})"));
  CHECK(scanned_same_as_parsed(R"({"process":0,"type":"info","f":"write","value":3,"error":"timed out"})"));
  CHECK(scanned_same_as_parsed(R"({"process":3,"type":"invoke","f":"read","key":"k1","value":null,"node":"n2"})"));
}

TEST_CASE("the scanner leaves unusual lines to the full parser") {
  for (const char* line : {
           R"({"process":0,"type":"invoke","f":"write","value":{"a":1}})",       // an object value
           R"({"process":0,"type":"invoke","f":"write","value":1.5})",           // not an integer
           R"({"process":0,"type":"invoke","f":"w\"rite","value":1})",           // an escape
           R"({"process":0,"type":"invoke","f":"write","value":[[1]]})",         // nesting
           R"({"process":0,"type":"invoke","f":"write","extra":1})",             // an ignored field
           R"({"process":0,"type":"invoke","f":"write","node":""})",             // an empty node (an error)
           R"({"process":0,"process":1,"type":"invoke","f":"write"})",           // a repeated field
           R"({"process":0,"type":"invoke"})",                                   // no f
           R"({"process":-1,"type":"invoke","f":"write"})",                      // a bad process
           R"({"process":0,"type":"done","f":"write"})",                         // a bad type
           R"({"process":0,"type":"invoke","f":"write"} x)",                     // trailing text
           R"({"process":0,"type":"invoke","f":"write",})",                      // a trailing comma
           R"([1,2])",
           R"({"process":0,"type":"invoke","f":"write","value":tru})",
       }) {
    INFO(line);
    CHECK_FALSE(scan_jsonl_op(line).has_value());
  }
}

TEST_CASE("on random and damaged lines the scanner and the parser never disagree") {
  std::mt19937_64 random(20261122);
  const std::vector<std::string> pieces = {
      "{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\"process\"", "\"type\"", "\"f\"", "\"key\"", "\"value\"",
      "\"index\"", "\"time\"", "\"error\"", "\"ok\"", "\"invoke\"", "\"nemesis\"", "0", "-1", "7", "1.5", "null", "true", "\"x\""};
  const std::string good = R"({"index":4,"time":12,"process":2,"type":"ok","f":"cas","key":"k7","value":[1,3]})";
  int scanned = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string line = good;
    const int edits = 1 + static_cast<int>(random() % 3);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = random() % (line.size() + 1);
      if (random() % 2 == 0 && at < line.size()) line.erase(at, 1 + random() % 3);
      else line.insert(at, pieces[random() % pieces.size()]);
    }
    if (scanned_same_as_parsed(line)) ++scanned;
  }
  CHECK(scanned > 100);  // some damaged lines are still valid ops
}
