// The transactional anomalies section, from what the real list-append checker reports on a small
// history with read skew: T2 reads key 1 after T1's append and key 2 before it.
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "cycle_svg.h"
#include "cycle_view.h"
#include "history/history_format.h"
#include "report_data.h"
#include "report_html.h"
#include "report_test_inputs.h"
#include "transactions/list_append.h"

namespace faultline {
namespace {

using nlohmann::json;

History read_skew_history() {
  const std::string lines =
      R"({"index":0,"time":1000000,"process":0,"type":"invoke","f":"txn","value":[["append",1,1],["append",2,1]]})" "\n"
      R"({"index":1,"time":3000000,"process":1,"type":"invoke","f":"txn","value":[["r",1,null],["r",2,null]]})" "\n"
      R"({"index":2,"time":4000000,"process":1,"type":"ok","f":"txn","value":[["r",1,[1]],["r",2,null]]})" "\n"
      R"({"index":3,"time":5000000,"process":0,"type":"ok","f":"txn","value":[["append",1,1],["append",2,1]]})" "\n"
      R"({"index":4,"time":6000000,"process":2,"type":"invoke","f":"txn","value":[["r",2,null]]})" "\n"
      R"({"index":5,"time":7000000,"process":2,"type":"ok","f":"txn","value":[["r",2,[1]]]})" "\n";
  std::istringstream in(lines);
  auto history = read_history(in, "skew.jsonl", HistoryFormat::jsonl);
  if (!history) throw std::runtime_error(history.error().to_string());
  return *history;
}

json results_of(const History& history) {
  const transactions::ListAppendResult found = transactions::check_list_append(history, {{"serializable"}});
  return {{"valid", false}, {"name", "skew"}, {"checkers", {{"list-append", found.to_json()}}}};
}

}  // namespace

TEST_CASE("cycle view: each transaction of a reported cycle, with its process, micro-ops and times") {
  const History history = read_skew_history();
  const json results = results_of(history);
  const json data = build_report_data(history, results, report_test::sample_test(), {});
  REQUIRE(data.contains("transactions"));
  const json& classes = data["transactions"]["classes"];
  REQUIRE(classes.size() == 1);
  CHECK(classes[0]["name"] == "G-single-item");
  REQUIRE(classes[0]["cycles"].size() == 1);
  const json& txns = classes[0]["cycles"][0]["txns"];
  REQUIRE(txns.size() == 2);
  std::set<std::int64_t> processes;
  for (const json& txn : txns) {
    processes.insert(txn["process"].get<std::int64_t>());
    CHECK(txn["type"] == "ok");
    CHECK(txn["end_ms"].get<double>() > txn["start_ms"].get<double>());
  }
  CHECK(processes == std::set<std::int64_t>{0, 1});
  // The reader's completion carries what it read.
  for (const json& txn : txns)
    if (txn["process"] == 1) CHECK(txn["value"] == json::parse(R"([["r",1,[1]],["r",2,null]])"));
}

TEST_CASE("page: a transactional cycle is drawn, explained edge by edge, and linked to the timeline") {
  const History history = read_skew_history();
  std::ostringstream out;
  write_report_html(out, build_report_data(history, results_of(history), report_test::sample_test(), {}), ReportAssets{});
  const std::string page = out.str();
  CHECK(page.find("<svg class=\"cycle\"") != std::string::npos);
  CHECK(page.find("<g class=\"edge wr\">") != std::string::npos);
  CHECK(page.find("<g class=\"edge rw\">") != std::string::npos);
  CHECK(page.find("G-single-item: 1 found") != std::string::npos);
  CHECK(page.find("Read skew") != std::string::npos);
  CHECK(page.find("r 1 \u2192 [1], r 2 \u2192 nil") != std::string::npos);  // the reader's box
  CHECK(page.find("class=\"show-cycle\" data-indices=\"[") != std::string::npos);
  CHECK(page.find("No checker found an anomaly") == std::string::npos);
}

TEST_CASE("cycle diagram: labels are text, never markup") {
  const json cycle = json::parse(R"({"steps": [{"from": 1, "to": 2, "type": "<b>", "explanation": "<script>"}],
    "txns": [{"index": 1, "label": "T1", "process": 0, "type": "ok", "value": [["r", "<i>", null]]},
             {"index": 2, "label": "T2", "process": 1, "type": "ok", "value": [["append", "<i>", "<img>"]]}]})");
  std::ostringstream out;
  write_cycle_svg(out, cycle, "x");
  const std::string svg = out.str();
  CHECK(svg.find("<script>") == std::string::npos);
  CHECK(svg.find("<img>") == std::string::npos);
  CHECK(svg.find("&lt;b&gt;") != std::string::npos);
}

}  // namespace faultline
