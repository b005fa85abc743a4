// Telling a history's format from its first bytes, and reading any format into a History.
#include <catch2/catch.hpp>

#include <sstream>

#include "history_format.h"
#include "test_corpus.h"

namespace faultline {
namespace {

std::optional<HistoryFormat> detect(std::string_view head) { return detect_history_format(head); }

TEST_CASE("format names") {
  for (auto format : {HistoryFormat::auto_detect, HistoryFormat::jsonl, HistoryFormat::jepsen_log, HistoryFormat::edn})
    CHECK(parse_history_format(to_string(format)) == format);
  CHECK(to_string(HistoryFormat::jepsen_log) == "jepsen-log");
  CHECK_FALSE(parse_history_format("json"));
  CHECK_FALSE(parse_history_format(""));
}

TEST_CASE("detecting JSON Lines") {
  CHECK(detect(R"({"index":0,"time":0,"process":1,"type":"invoke","f":"read","value":null})") == HistoryFormat::jsonl);
  CHECK(detect("\n\n  {\"process\": \"nemesis\"}") == HistoryFormat::jsonl);
  CHECK(detect("\xEF\xBB\xBF{\"process\":1}") == HistoryFormat::jsonl);
}

TEST_CASE("detecting Jepsen's text log") {
  CHECK(detect("INFO  jepsen.util - 0\t:invoke\t:read\tnil\nINFO  jepsen.util - 0\t:ok\t:read\tnil\n") == HistoryFormat::jepsen_log);
  CHECK(detect("INFO  jepsen.util - 1   :invoke :write  3\n") == HistoryFormat::jepsen_log);
  CHECK(detect("INFO  jepsen.util - 3\t:ok\t:cas\t[1 4]") == HistoryFormat::jepsen_log);
  CHECK(detect("\nINFO  jepsen.util - :nemesis\t:info\t:start\tnil") == HistoryFormat::jepsen_log);
}

TEST_CASE("detecting EDN: Knossos vectors, Jepsen's one map a line, comments first") {
  CHECK(detect("[{:process 7, :type :invoke, :f :cas, :value [2 3]}\n {:process 7") == HistoryFormat::edn);
  CHECK(detect("{:index 0, :time 1200, :type :invoke, :process 0, :f :read, :value nil}\n{:index 1") == HistoryFormat::edn);
  CHECK(detect("{\n  :type :invoke\n  :process 0}") == HistoryFormat::edn);
  CHECK(detect(";; history of run 3\n; second comment\n\n[{:process 0") == HistoryFormat::edn);
  CHECK(detect("{ ; process first\n :process 0}") == HistoryFormat::edn);
  CHECK(detect("#_{:process 9} {:process 0}") == HistoryFormat::edn);
  CHECK(detect("({:process 0, :type :invoke, :f :read})") == HistoryFormat::edn);
  CHECK(detect(",,\t[") == HistoryFormat::edn);
}

TEST_CASE("what cannot be detected") {
  CHECK_FALSE(detect(""));
  CHECK_FALSE(detect("  \n\n"));
  CHECK_FALSE(detect("; only a comment"));
  CHECK_FALSE(detect("process,type,f\n0,invoke,read\n"));
  CHECK_FALSE(detect("{}"));
  CHECK_FALSE(detect("{1 2}"));
  CHECK_FALSE(detect("# Histories\n\nRecorded on a Tuesday.\n"));  // a README, not an EDN tag
  CHECK(detect("#{:process 0}") == HistoryFormat::edn);
}

TEST_CASE("an empty or blank input is an empty history, whatever its format would have been") {
  for (const std::string& text : {std::string(""), std::string("  \n\n"), std::string("\r\n"), std::string(10000, '\n')}) {
    std::istringstream in(text);
    auto history = read_history(in, "empty.jsonl", HistoryFormat::auto_detect);
    REQUIRE(history);
    CHECK(history->ops().empty());
  }
  // A blank start longer than what detection reads, then ops: read as JSON Lines.
  std::istringstream late(std::string(5000, '\n') + R"({"process":0,"type":"invoke","f":"read","value":null})" "\n");
  auto history = read_history(late, "late.jsonl", HistoryFormat::auto_detect);
  REQUIRE(history);
  CHECK(history->ops().size() == 1);
}

TEST_CASE("an undetectable history is an error that says what to do") {
  std::istringstream in("process,type,f\n0,invoke,read\n");
  auto history = read_history(in, "run.csv", HistoryFormat::auto_detect);
  REQUIRE_FALSE(history);
  CHECK(history.error().to_string() ==
        "run.csv:1: cannot tell the history's format (expected JSON Lines, Jepsen's text log, EDN or elle-cli's JSON); name it with --format");
}

TEST_CASE("a file that cannot be opened is an input error") {
  auto history = read_history_file("/nonexistent/history.edn", HistoryFormat::auto_detect);
  REQUIRE_FALSE(history);
  CHECK(history.error().to_string() == "/nonexistent/history.edn: cannot open the file: No such file or directory");
}

TEST_CASE("the same history in each format reads to the same ops") {
  const std::string jsonl =
      "\xEF\xBB\xBF{\"process\":0,\"type\":\"invoke\",\"f\":\"cas\",\"value\":[1,4]}\n"
      "{\"process\":\"nemesis\",\"type\":\"info\",\"f\":\"start\",\"value\":null}\n"
      "{\"process\":0,\"type\":\"info\",\"f\":\"cas\",\"value\":\"timed-out\"}\n";
  const std::string jepsen_log =
      "INFO  jepsen.util - 0\t:invoke\t:cas\t[1 4]\n"
      "INFO  jepsen.util - :nemesis\t:info\t:start\tnil\n"
      "INFO  jepsen.util - 0\t:info\t:cas\t:timed-out\n";
  const std::string edn =
      "\xEF\xBB\xBF; the same, in EDN\n[{:process 0, :type :invoke, :f :cas, :value [1 4]}\n"
      " {:process :nemesis, :type :info, :f :start, :value nil}\n"
      " {:value :timed-out, :f :cas, :type :info, :process 0}]\n";
  std::vector<std::string> described;
  for (const std::string* text : {&jsonl, &jepsen_log, &edn}) {
    std::istringstream in(*text);
    auto history = read_history(in, "h", HistoryFormat::auto_detect);
    REQUIRE(history);
    REQUIRE(history->size() == 3);
    std::string all;
    for (const Op& op : history->ops()) all += describe(op) + "\n";
    CHECK(history->partner(0) == 2);
    described.push_back(all);
  }
  CHECK(described[0] == "0 invoke cas [1,4]\nnemesis info start null\n0 info cas \"timed-out\"\n");
  CHECK(described[1] == described[0]);
  CHECK(described[2] == described[0]);
}

TEST_CASE("a named format is read as that format even if it looks like another") {
  std::istringstream in("[{:process 0, :type :invoke, :f :read}]");
  auto history = read_history(in, "h", HistoryFormat::jsonl);
  REQUIRE_FALSE(history);
  CHECK(history.error().to_string() == "h:1: not valid JSON");
}

TEST_CASE("the first file of each corpus is detected as its format") {
  CHECK(detect(test::read_text_file(test::corpus_folder("jepsen-etcd") / "etcd_000.log").substr(0, 4096)) == HistoryFormat::jepsen_log);
  CHECK(detect(test::read_text_file(test::corpus_folder("jepsen-etcd") / "etcd_100.log").substr(0, 4096)) == HistoryFormat::jepsen_log);
  CHECK(detect(test::read_text_file(test::corpus_folder("knossos-memstress") / "memstress3-0.edn").substr(0, 4096)) == HistoryFormat::edn);
}

}  // namespace
}  // namespace faultline
