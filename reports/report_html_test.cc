#include <regex>
#include <sstream>

#include <catch2/catch.hpp>

#include "report_data.h"
#include "report_html.h"
#include "report_test_inputs.h"

namespace faultline {
namespace {

using nlohmann::json;
using namespace report_test;

ReportAssets fake_assets() {
  ReportAssets assets;
  assets.dygraphs_js = "var Dygraph = function () {}; /* </script> inside the library */";
  assets.dygraphs_css = ".dygraph-legend { color: black; }";
  assets.dygraphs_js_path = "/fake/dygraph.min.js";
  return assets;
}

std::string render(const json& results, const ReportAssets& assets = fake_assets()) {
  std::ostringstream out;
  write_report_html(out, build_report_data(sample_history(), results, sample_test(), {"n1.log", "n2.log"}), assets);
  return out.str();
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

TEST_CASE("page: the anomaly diagram highlights the op that cannot be placed") {
  const std::string page = render(sample_results());
  CHECK(page.find("<svg class=\"anomaly\"") != std::string::npos);
  CHECK(page.find("<g class=\"op blocked\" data-index=\"4\">") != std::string::npos);
  CHECK(page.find("<g class=\"op linearized\" data-index=\"0\">") != std::string::npos);
  CHECK(page.find("#1 write 1") != std::string::npos);
  CHECK(page.find("read 2 needs the state 2, but the register holds 1 &lt;!--") != std::string::npos);
}

TEST_CASE("page: the linearized order is numbered and joined by a line") {
  json results = sample_results();
  json& anomaly = results["checkers"]["linearizability"]["anomaly"];
  json second = anomaly["concurrent"][0];
  second["state_after"] = "<script>alert(1)</script>";
  anomaly["linearized"].push_back(second);
  anomaly["linearized_count"] = 30;  // the checker shows only the last of a long order
  const std::string page = render(results);
  CHECK(page.find("<polyline class=\"order\"") != std::string::npos);
  CHECK(count_of(page, "<circle class=\"order-dot\"") == 2);
  CHECK(page.find("#29 write 1") != std::string::npos);
  CHECK(page.find("#30 write &lt;script&gt;") != std::string::npos);
}

TEST_CASE("page: the anomaly names the faults in place while its ops ran, in words, and each process's node") {
  const std::string page = render(sample_results());
  CHECK(page.find("Faults in place while these ops ran: <b>n1 killed</b> (0.003 s to 0.007 s).") != std::string::npos);
  CHECK(page.find(">process 1 \u00b7 n2</text>") != std::string::npos);
  CHECK(page.find("<td title=\"[&quot;n1&quot;]\">n1 killed</td>") != std::string::npos);
  CHECK(page.find("<title>n1 killed</title>") != std::string::npos);
  json results = sample_results();
  results["checkers"]["availability"]["windows"][0]["start_time_ns"] = 500000;  // over before the first op drawn began
  results["checkers"]["availability"]["windows"][0]["end_time_ns"] = 800000;
  CHECK(render(results).find("No fault was in place while these ops ran; the last one before them: <b>n1 killed</b>") !=
        std::string::npos);
  results["checkers"]["availability"]["windows"] = json::array();
  CHECK(render(results).find("No fault had been injected before these ops ran.") != std::string::npos);
}

TEST_CASE("page: the linearized order says how much of it is shown") {
  json results = sample_results();
  json& anomaly = results["checkers"]["linearizability"]["anomaly"];
  CHECK(render(results).find("The linearized order before it: 1 ops</summary>") != std::string::npos);
  anomaly["linearized_count"] = 30;
  CHECK(render(results).find("The linearized order before it: 30 ops, the last 1 shown</summary>") != std::string::npos);
  anomaly["linearized"] = json::array();
  anomaly["linearized_count"] = 0;
  CHECK(render(results).find("No op of this key could be linearized before it.") != std::string::npos);
  anomaly["method"] = "overwrite";  // no search, so no order: neither sentence
  const std::string page = render(results);
  CHECK(page.find("could be linearized") == std::string::npos);
  CHECK(page.find("The linearized order") == std::string::npos);
}

TEST_CASE("page: an overwrite anomaly draws its setter and overwriter") {
  json results = sample_results();
  json& anomaly = results["checkers"]["linearizability"]["anomaly"];
  anomaly["method"] = "overwrite";
  anomaly["setter"] = anomaly["linearized"][0];
  anomaly["linearized"] = json::array();
  anomaly["overwriter"] = anomaly["concurrent"][0];
  const std::string page = render(results);
  CHECK(page.find("<g class=\"op setter\" data-index=\"0\">") != std::string::npos);
  CHECK(page.find("<g class=\"op overwriter open\" data-index=\"6\">") != std::string::npos);
  CHECK(page.find("<g class=\"op blocked\" data-index=\"4\">") != std::string::npos);
}

TEST_CASE("page: a value from the history appears as text, never as markup") {
  const std::string page = render(sample_results());
  CHECK(page.find(xss_value) == std::string::npos);
  CHECK(page.find("alert(1)</") == std::string::npos);
  CHECK(page.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);   // in the markup
  CHECK(page.find("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e") != std::string::npos);  // in the data
  CHECK(page.find("timeout \\u003c/script\\u003e\\u003c!--") != std::string::npos);
  CHECK(page.find("\xE2\x80\xA8") == std::string::npos);
  // The only </script> tags are the page's own: data, dygraphs, the report's script.
  CHECK(count_of(page, "</script>") == 3);
  CHECK(count_of(page, "<script") == 3);
}

TEST_CASE("page: nothing is fetched from outside the page") {
  const std::string page = render(sample_results());
  CHECK(page.find("http://") == std::string::npos);
  CHECK(page.find("https://") == std::string::npos);
  CHECK(page.find("//cdn") == std::string::npos);
  CHECK_FALSE(std::regex_search(page, std::regex(R"((src|href)\s*=\s*["']?\s*(//|[a-z]+:))", std::regex::icase)));
  CHECK(page.find("<a href=\"nodes/n2.log\">") != std::string::npos);
  CHECK(page.find("<a href=\"history.jsonl\">") != std::string::npos);
}

TEST_CASE("page: dygraphs and the data are inline") {
  const std::string page = render(sample_results());
  CHECK(page.find("var Dygraph = function () {}") != std::string::npos);
  CHECK(page.find("<\\/script> inside the library") != std::string::npos);
  CHECK(page.find("<script type=\"application/json\" id=\"report-data\">") != std::string::npos);
  CHECK(page.find("Charts unavailable") == std::string::npos);
}

TEST_CASE("page: without dygraphs it says so and shows everything else") {
  ReportAssets missing;
  missing.dygraphs_js_path = "/nowhere/dygraph.min.js";
  const std::string page = render(sample_results(), missing);
  CHECK(page.find("Charts unavailable") != std::string::npos);
  CHECK(page.find("/nowhere/dygraph.min.js") != std::string::npos);
  CHECK(page.find("<g class=\"op blocked\"") != std::string::npos);
  CHECK(page.find("id=\"timeline-view\"") != std::string::npos);
}

TEST_CASE("page: set anomalies list the elements with when they were written and seen") {
  json results = sample_results();
  results["checkers"].erase("linearizability");
  results["checkers"]["set"] = json::parse(R"({"valid": false, "lost_count": 1, "lost": [{"element": 17,
    "add": {"type": "ok", "invoke_index": 40, "invoke_time_ns": 1500000000, "complete_index": 41, "complete_time_ns": 1600000000},
    "known_index": 41, "last_seen": {"read_index": 90, "time_ns": 3000000000},
    "absent_in": {"read_index": 120, "time_ns": 9000000000}}],
    "unexpected_count": 1, "unexpected": [{"element": 99, "first_seen": {"read_index": 95, "time_ns": 3500000000}}]})");
  const std::string page = render(results);
  CHECK(page.find("<h4>lost (1)</h4>") != std::string::npos);
  CHECK(page.find("<td>17</td><td>ok, op 40 at 1.5 s</td><td>read 90 at 3 s</td><td>read 120 at 9 s</td>") != std::string::npos);
  CHECK(page.find("<h4>unexpected (1)</h4>") != std::string::npos);
  CHECK(page.find("<td>99</td><td></td><td>read 95 at 3.5 s</td>") != std::string::npos);
  // The faults between the lost element's add (1.5 s) and the read that missed it (9 s).
  results["checkers"]["availability"]["windows"][0]["start_time_ns"] = 2'000'000'000;
  results["checkers"]["availability"]["windows"][0]["end_time_ns"] = 4'000'000'000;
  CHECK(render(results).find("Faults in place while these ops ran: <b>n1 killed</b> (2 s to 4 s).") != std::string::npos);
}

TEST_CASE("page: a valid run says no anomaly was found") {
  json results = sample_results();
  results["valid"] = true;
  results["checkers"]["linearizability"] = {{"valid", true}, {"ops", 4}};
  const std::string page = render(results);
  CHECK(page.find("No checker found an anomaly.") != std::string::npos);
  CHECK(page.find("<span class=\"verdict valid\">valid</span>") != std::string::npos);
}

}  // namespace
}  // namespace faultline
