// The pages of a suite (`faultline suite`), rendered purely from summary.json (harness/
// suite_results.h) in the report's three steps (STYLE principle 11): these write to a stream;
// the suite command writes the files.
//
//   matrix.html  one suite run: rows = configuration (x workload), columns = nemesis; each
//                cell its verdict against the expectation, invalid runs, availability during
//                faults, p50/p99 latency, throughput, and links to every seed's report
//   index.html   the suite's trends: every cell's verdicts over the recent suite runs,
//                newest last, with how often it missed its expectation (flake rate)
//
// Every value from a summary is escaped. Links are relative: matrix.html sits in
// store/suites/<suite>/<started>/ and the runs in store/<run>/, so a run's report is
// ../../../<run_directory>/report.html; index.html sits in store/suites/<suite>/.
#pragma once

#include <iosfwd>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline {

void write_suite_matrix_html(std::ostream& out, const nlohmann::json& summary);

// `summaries` oldest first (the trend's order); at most suite_trend_runs_max are drawn.
void write_suite_trends_html(std::ostream& out, const std::vector<nlohmann::json>& summaries);

inline constexpr std::size_t suite_trend_runs_max = 30;

// JUnit XML for CI systems: one <testsuite>, one <testcase> per run (classname
// "<suite>.<configuration>.<workload>", name "<nemesis> seed <s>"); a run that missed its
// expectation carries a <failure> with the anomaly summary, an unknown or failed one an <error>.
void write_suite_junit_xml(std::ostream& out, const nlohmann::json& summary);

}  // namespace faultline
