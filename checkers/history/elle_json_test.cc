#include "elle_json.h"

#include <sstream>

#include <catch2/catch.hpp>

#include "history_format.h"

using namespace faultline;

namespace {

Expected<History> read_text(const std::string& text, HistoryFormat format = HistoryFormat::auto_detect) {
  std::istringstream in(text);
  return read_history(in, "h.json", format);
}

}  // namespace

TEST_CASE("elle-cli's JSON: an array of ops over any lines, f defaulting to txn, detected") {
  const std::string text = R"([{"index":0,"process":0,"type":"invoke","value":[["append",1,1]]},
    {"index":1,"process":0,"type":"ok",
     "value":[["append",1,1]]},
    {"index":2,"process":1,"type":"invoke","f":"txn","value":[["r",1,null]]},
    {"index":3,"process":1,"type":"ok","value":[["r",1,[1]]]}])";
  auto history = read_text(text);
  REQUIRE(history);
  REQUIRE(history->ops().size() == 4);
  CHECK(history->ops()[0].f == "txn");
  CHECK(history->ops()[3].value == nlohmann::json::parse(R"([["r",1,[1]]])"));
  CHECK(detect_history_format(text) == HistoryFormat::elle_json);
  CHECK(detect_history_format("[{:process 0}]") == HistoryFormat::edn);
  CHECK(detect_history_format("[ {\n \"index\": 0}]") == HistoryFormat::elle_json);
}

TEST_CASE("elle-cli's JSON: an empty array and an empty file are empty histories") {
  CHECK(read_text("[]", HistoryFormat::elle_json)->ops().empty());
  CHECK(read_text("  \n", HistoryFormat::elle_json)->ops().empty());
}

TEST_CASE("elle-cli's JSON: errors name the line where the op begins, and the field") {
  auto error = [](const std::string& text) {
    auto history = read_text(text, HistoryFormat::elle_json);
    REQUIRE_FALSE(history);
    return history.error().to_string();
  };
  CHECK(error("[{\"process\":0,\"type\":\"invoke\",\"value\":[]},\n {\"process\":0,\"type\":\"okay\"}]").find("h.json:2") !=
        std::string::npos);
  CHECK(error("[{\"process\":0,\"type\":\"invoke\",\"value\":[]},\n {\"process\":0,\"type\":\"okay\"}]").find("type") !=
        std::string::npos);
  CHECK(error("{\"process\":0}").find("expected a JSON array") != std::string::npos);
  CHECK(error("[{\"process\":0,\"type\":\"invoke\"}").find("not closed") != std::string::npos);
  CHECK(error("[{\"process\":0,\"type\":\"invoke\"},]").find("expected an op object after ','") != std::string::npos);
  CHECK(error("[{\"process\":0,\"type\":\"invoke\"} {}]").find("expected ',' or ']'") != std::string::npos);
  CHECK(error("[{\"process\":0,\"type\":\"invoke\"}] x").find("text after the array") != std::string::npos);
  CHECK(error("[{\"process\":0,\n\"type\":\"invoke\"").find("h.json:1") != std::string::npos);
}
