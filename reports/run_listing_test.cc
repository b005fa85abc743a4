#include <sstream>

#include <catch2/catch.hpp>

#include "run_listing.h"

namespace faultline {
namespace {

using nlohmann::json;

const std::string xss = "<script>alert(1)</script>";

json paxos_test() {
  return json::parse(R"({"protocol": "paxos", "nodes": 3, "read_quorum": 0, "write_quorum": 0,
    "nemesis": ["kill", "pause"], "workload": "register", "seed": 7, "bug": "paxos-promise-drops-accepted"})");
}

json quorum_test() {
  return json::parse(R"({"protocol": "quorum", "nodes": 5, "read_quorum": 2, "write_quorum": 4,
    "nemesis": [], "workload": "kv", "seed": 12, "bug": ""})");
}

std::string render(const std::vector<RunSummary>& runs, std::size_t found) {
  std::ostringstream out;
  write_run_listing_html(out, runs, {"store", found});
  return out.str();
}

TEST_CASE("run summary: verdict and configuration from results.json and test.json") {
  const RunSummary run = summarize_run("paxos-register", "20261122T132959", json{{"valid", false}}, paxos_test(), true);
  CHECK(run.started == "2026-11-22 13:29:59 UTC");
  CHECK(run.verdict == "invalid");
  CHECK(run.protocol == "paxos");
  CHECK(run.nodes == "3");
  CHECK(run.read_quorum == "majority");
  CHECK(run.write_quorum == "majority");
  CHECK(run.nemesis == "kill, pause");
  CHECK(run.workload == "register");
  CHECK(run.seed == "7");
  CHECK(run.bug == "paxos-promise-drops-accepted");

  const RunSummary quorum = summarize_run("q", "20261122T132959-2", json{{"valid", "unknown"}, {"interrupted", true}},
                                          quorum_test(), false);
  CHECK(quorum.verdict == "unknown");
  CHECK(quorum.interrupted);
  CHECK(quorum.read_quorum == "2");
  CHECK(quorum.write_quorum == "4");
  CHECK(quorum.nemesis == "none");
  CHECK(quorum.bug.empty());
}

TEST_CASE("run summary: a run without results or configuration says so") {
  const RunSummary run = summarize_run("crashed", "not-a-time", nullptr, nullptr, false);
  CHECK(run.verdict == "no results");
  CHECK(run.started == "not-a-time");
  CHECK(run.protocol == "?");
  CHECK(run.nemesis == "?");
  CHECK(run.read_quorum == "?");
}

TEST_CASE("runs sort newest first, suffixes and names included") {
  std::vector<RunSummary> runs;
  for (auto [name, id] : std::vector<std::pair<std::string, std::string>>{{"a", "20261122T132959"},
                                                                          {"b", "odd"},
                                                                          {"a", "20261122T132959-10"},
                                                                          {"a", "20261122T132959-2"},
                                                                          {"c", "20261123T000000"},
                                                                          {"b", "20261122T132959"}})
    runs.push_back(summarize_run(name, id, nullptr, nullptr, false));
  sort_newest_first(runs);
  std::vector<std::string> order;
  for (const RunSummary& run : runs) order.push_back(run.name + "/" + run.run_id);
  CHECK(order == std::vector<std::string>{"c/20261123T000000", "a/20261122T132959-10", "a/20261122T132959-2",
                                          "a/20261122T132959", "b/20261122T132959", "b/odd"});
}

TEST_CASE("listing: one row per run, in the order given, linking to its files") {
  const std::vector<RunSummary> runs = {
      summarize_run("paxos-register", "20261122T132959", json{{"valid", false}}, paxos_test(), true),
      summarize_run("quorum-kv", "20261121T080000", json{{"valid", true}}, quorum_test(), false)};
  const std::string page = render(runs, 2);
  CHECK(page.find("2 runs, newest first.") != std::string::npos);
  const std::size_t first = page.find("<a href=\"paxos-register/20261122T132959/report.html\">paxos-register</a>");
  const std::size_t second = page.find("quorum-kv<br><small>20261121T080000</small>");
  CHECK(first != std::string::npos);
  CHECK(second != std::string::npos);
  CHECK(first < second);
  CHECK(page.find("<span class=\"verdict invalid\">invalid</span>") != std::string::npos);
  CHECK(page.find("<td>3 / majority / majority</td><td>kill, pause</td>") != std::string::npos);
  CHECK(page.find("<td>5 / 2 / 4</td><td>none</td><td>kv</td><td>12</td>") != std::string::npos);
  CHECK(page.find("<a href=\"quorum-kv/20261121T080000/history.jsonl\">history</a>") != std::string::npos);
  CHECK(page.find("quorum-kv/20261121T080000/report.html") == std::string::npos);  // it has none
  CHECK(page.find("no report") != std::string::npos);
  CHECK(page.find("<script") == std::string::npos);
}

TEST_CASE("listing: every value is escaped, and names are percent-encoded in links") {
  json test = paxos_test();
  for (const char* field : {"protocol", "nodes", "read_quorum", "workload", "seed", "bug"}) test[field] = xss;
  test["nemesis"] = json::array({xss});
  const std::string name = "a\"b<c>&'d ?#:";
  const std::vector<RunSummary> runs = {summarize_run(name, xss, json{{"valid", xss}}, test, true)};
  std::ostringstream out;
  write_run_listing_html(out, runs, {"store/" + xss, 1});
  const std::string page = out.str();
  CHECK(page.find("<script") == std::string::npos);
  CHECK(page.find("alert(1)</") == std::string::npos);
  // As text: protocol, nodes, R, nemesis, workload, seed, bug (7), the run id (as itself and as
  // its start, not being a timestamp: 2) and the store (title and header: 2). The verdict is
  // "unknown": results.json's "valid" is not a boolean.
  std::size_t escaped = 0;
  for (std::size_t at = page.find("&lt;script&gt;alert(1)&lt;/script&gt;"); at != std::string::npos;
       at = page.find("&lt;script&gt;alert(1)&lt;/script&gt;", at + 1))
    ++escaped;
  CHECK(escaped == 11);
  CHECK(page.find("<span class=\"verdict unknown\">unknown</span>") != std::string::npos);
  CHECK(page.find(">a&quot;b&lt;c&gt;&amp;&#39;d ?#:</a><br>") != std::string::npos);
  CHECK(page.find("href=\"a%22b%3Cc%3E%26%27d%20%3F%23%3A/%3Cscript%3Ealert%281%29%3C%2Fscript%3E/report.html\"") !=
        std::string::npos);
}

TEST_CASE("listing: an empty store says how to add a run, a cut list says so") {
  CHECK(render({}, 0).find("No runs yet.") != std::string::npos);
  const std::vector<RunSummary> runs = {summarize_run("a", "20261122T132959", nullptr, nullptr, false)};
  CHECK(render(runs, 5).find("5 runs, newest first. The newest 1 are listed.") != std::string::npos);
}

TEST_CASE("percent-encoding leaves only unreserved bytes") {
  CHECK(percent_encode_segment("paxos-register_1.x~") == "paxos-register_1.x~");
  CHECK(percent_encode_segment("a/b c") == "a%2Fb%20c");
  CHECK(percent_encode_segment("\xC3\xA9") == "%C3%A9");
  CHECK(percent_encode_segment("javascript:x") == "javascript%3Ax");
}

}  // namespace
}  // namespace faultline
