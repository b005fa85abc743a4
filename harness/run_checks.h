// Checking a finished (or interrupted) run: the workload's checkers plus the ones every run
// gets (stats, availability, latency), merged into one verdict (invalid > unknown > valid),
// written as results.json and summed up for the terminal.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/history.h"
#include "verdict.h"
#include "workload.h"

namespace faultline {

// Runs every checker; one that throws becomes unknown with the error attached (STYLE
// principle 6), never a crash of the run.
std::vector<NamedResult> run_checkers(const History& history, const Workload& workload);

// results.json: {"valid", "checkers": {name: {"valid", ...details}}, plus `extra` fields}.
nlohmann::json results_json(const std::vector<NamedResult>& results, Verdict verdict, const nlohmann::json& extra);

Verdict merged_verdict(const std::vector<NamedResult>& results);

// What a checker's details say, in one line for people: "key r: read 3 ...", "ok during faults
// 66%, ...". `details` as results.json keeps them (extra fields are ignored).
std::string checker_headline(const std::string& checker, const nlohmann::json& details);

// One line per checker, for people: "linearizability  invalid  key r: read 3 ...".
std::string summarize_results(const std::vector<NamedResult>& results);

}  // namespace faultline
