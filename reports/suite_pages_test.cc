// The suite's pages and JUnit file, from literal summaries: no run, no disk.
#include "suite_pages.h"

#include <sstream>

#include <catch2/catch.hpp>

using namespace faultline;
using nlohmann::json;

namespace {

json run(int seed, const std::string& verdict, bool met, const std::string& summary = "") {
  return {{"seed", seed}, {"verdict", verdict}, {"met", met}, {"summary", summary},
          {"run_directory", "s.c.register.n.s" + std::to_string(seed) + "/20261129T100000"},
          {"reproduce", "faultline test --seed " + std::to_string(seed)}, {"elapsed_s", 12.5}};
}

json summary_of(const std::string& started, bool cas_met) {
  return {{"suite", "nightly"},
          {"description", "every night"},
          {"started", started},
          {"elapsed_s", 60},
          {"interrupted", false},
          {"exit_code", cas_met ? 0 : 1},
          {"counts", {{"planned", 3}, {"runs", 3}, {"met", cas_met ? 3 : 2}, {"missed", cas_met ? 0 : 1}, {"unknown", 0}}},
          {"nemeses", json::array({"kill", "partition"})},
          {"rows", {{{"configuration", "paxos"}, {"workload", "register"}, {"target", "etcd 3.4.23"}}, {{"configuration", "<script>alert(1)</script>"}, {"workload", "register"}}}},
          {"cells",
           {{{"configuration", "paxos"}, {"workload", "register"}, {"nemesis", "kill"}, {"expect", "valid"},
             {"verdict", cas_met ? "valid" : "invalid"}, {"met", cas_met}, {"invalid_runs", cas_met ? 0 : 1},
             {"availability", 0.66}, {"p50_ms", 2.04}, {"p99_ms", 318.9}, {"ok_per_s", 66},
             {"runs", json::array({cas_met ? run(1, "valid", true) : run(1, "invalid", false, "linearizability: read 3 <b>")})}},
            {{"configuration", "paxos"}, {"workload", "register"}, {"nemesis", "partition"}, {"expect", "valid"},
             {"verdict", "valid"}, {"met", true}, {"invalid_runs", 0}, {"availability", nullptr}, {"p50_ms", nullptr},
             {"p99_ms", nullptr}, {"ok_per_s", nullptr}, {"runs", json::array({run(1, "valid", true)})}},
            {{"configuration", "<script>alert(1)</script>"}, {"workload", "register"}, {"nemesis", "kill"},
             {"expect", "invalid"}, {"verdict", "unknown"}, {"met", false}, {"invalid_runs", 0},
             {"availability", 1.0}, {"p50_ms", 1.0}, {"p99_ms", 2.0}, {"ok_per_s", 100},
             {"runs", json::array({run(1, "unknown", false, "checker ran out of time")})}}}}};
}

}  // namespace

TEST_CASE("the matrix shows each cell's verdict against its expectation, figures and links, all escaped") {
  std::ostringstream out;
  write_suite_matrix_html(out, summary_of("20261129T100000", false));
  const std::string page = out.str();
  CHECK_THAT(page, Catch::Contains("<th>kill</th><th>partition</th>"));
  CHECK_THAT(page, Catch::Contains("<th>paxos<br><small class=\"target\">etcd 3.4.23</small></th>"));
  CHECK_THAT(page, Catch::Contains("<td class=\"cell missed\"><span class=\"verdict invalid\">invalid</span> &#10007;"));
  CHECK_THAT(page, Catch::Contains("expected valid; 1 of 1 runs invalid"));
  CHECK_THAT(page, Catch::Contains("ok during faults 66%<br>p50 2.0 ms, p99 318.9 ms<br>66 ok/s"));
  CHECK_THAT(page, Catch::Contains("ok during faults -<br>p50 - ms"));
  CHECK_THAT(page, Catch::Contains("href=\"../../../s.c.register.n.s1/20261129T100000/report.html\""));
  CHECK_THAT(page, Catch::Contains("<td class=\"cell unknown\">"));
  CHECK_THAT(page, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  CHECK(page.find("<script>alert(1)") == std::string::npos);
  CHECK(page.find("read 3 <b>") == std::string::npos);
  CHECK_THAT(page, Catch::Contains("<td class=\"cell\">not run</td>"));  // the second row has no partition cell
  CHECK_THAT(page, Catch::Contains("expected valid, got invalid. linearizability: read 3 &lt;b&gt;"));
}

TEST_CASE("the trends page draws each cell over the suite runs and its flake rate") {
  std::ostringstream out;
  write_suite_trends_html(out, {summary_of("20261127T100000", true), summary_of("20261128T100000", false),
                                summary_of("20261129T100000", true)});
  const std::string page = out.str();
  CHECK_THAT(page, Catch::Contains("<tr><td>paxos / register / kill</td><td>valid</td><td>"
                                   "<a class=\"trend met\" href=\"20261127T100000/matrix.html\""));
  CHECK_THAT(page, Catch::Contains("<a class=\"trend missed\" href=\"20261128T100000/matrix.html\""));
  CHECK_THAT(page, Catch::Contains("33% (1 of 3)"));
  CHECK_THAT(page, Catch::Contains("0% (0 of 3)"));
  CHECK_THAT(page, Catch::Contains("100% (3 of 3)"));  // the unknown cell, every time
  CHECK(page.find("<script>alert(1)") == std::string::npos);
  // Newest suite run listed first.
  CHECK(page.find("20261129T100000</a>") < page.find("20261127T100000</a>"));
}

TEST_CASE("JUnit: one test case per run, failures for missed expectations, errors for unknown runs") {
  std::ostringstream out;
  write_suite_junit_xml(out, summary_of("20261129T100000", false));
  const std::string xml = out.str();
  CHECK_THAT(xml, Catch::Contains("<testsuite name=\"nightly\" tests=\"3\" failures=\"1\" errors=\"1\""));
  CHECK_THAT(xml, Catch::Contains("<testcase classname=\"nightly.paxos.register\" name=\"kill seed 1\" time=\"12.500\">"));
  CHECK_THAT(xml, Catch::Contains("<failure message=\"expected valid, got invalid: linearizability: read 3 &lt;b&gt;\" type=\"invalid\">"));
  CHECK_THAT(xml, Catch::Contains("reproduce: faultline test --seed 1"));
  CHECK_THAT(xml, Catch::Contains("<error message=\"expected invalid, got unknown: checker ran out of time\""));
  CHECK_THAT(xml, Catch::Contains("name=\"partition seed 1\" time=\"12.500\"></testcase>"));
}
