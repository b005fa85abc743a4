// What a suite's runs came to, pure: each run's outcome read from its results.json, the cells
// they add up to, summary.json, and the exit code. The runner (suite_runner.h) feeds it; the
// pages (reports/suite_pages.h) and JUnit (reports/suite_junit.h) draw from summary.json.
//
// A run meets its cell's expectation when its verdict is the one expected: a cell expected
// `invalid` wants every seed to find an anomaly (a seed that finds none is a miss: the
// harness's power to detect). A cell meets its expectation when all its runs do.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "suite_spec.h"

namespace faultline {

struct SuiteRunOutcome {
  SuiteCell cell;
  std::uint64_t seed = 0;
  std::string verdict;        // valid | invalid | unknown | error (the run could not be carried out)
  std::string summary;        // for people: the anomaly, the error, or the verdict's reason
  int anomalies = 0;          // invalid keys, lost/unexpected/... elements, or 1 per other invalid checker
  std::optional<double> ok_share_during_faults;
  std::optional<double> p50_ms, p99_ms, ok_per_s;
  // When the first anomalous operation began, in seconds from the run's start: the op the
  // linearizability checker cannot place, the acknowledged add of the first lost element.
  std::optional<double> first_anomaly_s;
  std::string target;         // the system under test and its version ("etcd 3.4.23"), from test.json
  std::string run_directory;  // where the run is kept (empty when it never started)
  std::string reproduce;      // the command that repeats it
  double elapsed_s = 0;
  bool met() const { return verdict == cell.expect || (cell.expect == "any" && (verdict == "valid" || verdict == "invalid")); }
};

// The outcome of `run` from what its process left: its exit code and results.json (null when
// there is none: it could not start, or crashed), and `output`, the tail of what it printed.
SuiteRunOutcome outcome_of_run(const SuiteRun& run, int exit_code, const nlohmann::json& results,
                               const std::string& run_directory, const std::string& output, double elapsed_s);

// The outcome a run of `cell` that summary.json recorded (an element of a cell's "runs"): what
// `faultline suite-merge` reads back from each shard's summary. The inverse of what
// suite_summary_json writes of a run; the error names the field that is missing or wrong.
std::expected<SuiteRunOutcome, std::string> outcome_from_summary_run(const SuiteCell& cell, const nlohmann::json& run);

// summary.json: {"suite", "description", "started", "elapsed_s", "interrupted", "exit_code",
// "counts": {"runs", "met", "missed", "unknown", "planned"}, "nemeses": [names], "rows":
// [{"configuration", "workload", "target" (the system and version its runs named)}], "cells": [{"configuration", "workload", "nemesis", "expect",
// "verdict", "met", "runs": [...], "invalid_runs", "availability", "p50_ms", "p99_ms",
// "ok_per_s", "first_anomaly_s"}]}: figures are medians over the cell's runs, and a cell's runs are in the
// order of the suite's seeds. Cells with no finished run (an interrupted suite, or another
// shard's) are left out.
nlohmann::json suite_summary_json(const SuiteSpec& spec, const std::vector<SuiteRunOutcome>& outcomes,
                                  std::size_t planned_runs, const std::string& started, double elapsed_s,
                                  bool interrupted);

// 0: every run met its expectation; 1: one did not (an anomaly where none was expected, or
// none where one was); 2: none missed but one was unknown or could not run, or the suite was
// interrupted.
int suite_exit_code(const std::vector<SuiteRunOutcome>& outcomes, bool interrupted);

}  // namespace faultline
