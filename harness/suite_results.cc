#include "suite_results.h"

#include <algorithm>
#include <map>

#include "command.h"
#include "run_checks.h"
#include "results/linearizability_anomaly.h"
#include "results/measurement_results.h"
#include "results/set_result.h"
#include "run_fields.h"

namespace faultline {

namespace {

using nlohmann::json;

int anomalies_of(const std::string& checker, const json& details) {
  if (checker == "linearizability") return std::max(1, details.value("invalid_key_count", 1));
  if (checker == "set") {
    int count = 0;
    for (const char* anomaly : {"lost", "unexpected", "duplicated", "failed_but_present"})
      count += details.value(std::string(anomaly) + "_count", 0);
    return std::max(1, count);
  }
  return 1;
}

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json run_json(const SuiteRunOutcome& o) {
  return {{"seed", o.seed},
          {"verdict", o.verdict},
          {"met", o.met()},
          {"summary", o.summary},
          {"anomalies", o.anomalies},
          {"availability", optional_json(o.ok_share_during_faults)},
          {"p50_ms", optional_json(o.p50_ms)},
          {"p99_ms", optional_json(o.p99_ms)},
          {"ok_per_s", optional_json(o.ok_per_s)},
          {"first_anomaly_s", optional_json(o.first_anomaly_s)},
          {"target", o.target},
          {"run_directory", o.run_directory},
          {"reproduce", o.reproduce},
          {"elapsed_s", o.elapsed_s}};
}

std::optional<double> optional_of(const json& value) {
  return value.is_number() ? std::optional<double>(value.get<double>()) : std::nullopt;
}

std::optional<double> median(std::vector<double> values) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

SuiteRunOutcome outcome_of_run(const SuiteRun& run, int exit_code, const json& results, const std::string& run_directory,
                               const std::string& output, double elapsed_s) {
  SuiteRunOutcome o;
  o.cell = run.cell;
  o.seed = run.seed;
  o.run_directory = run_directory;
  o.reproduce = reproduce_command(run.options);
  o.elapsed_s = elapsed_s;
  if (!results.is_object() || !results.contains("checkers")) {
    o.verdict = "error";
    o.summary = "the run left no results (exit code " + std::to_string(exit_code) + ")" +
                (output.empty() ? "" : ": " + output);
    return o;
  }
  o.verdict = results.value("interrupted", false) && results["valid"] != false ? "unknown" : verdict_name(results["valid"]);
  const json& checkers = results["checkers"];
  for (const auto& [checker, details] : checkers.items()) {
    if (details.value("valid", json(nullptr)) == false) {
      o.anomalies += anomalies_of(checker, details);
      if (o.summary.empty()) o.summary = checker + ": " + checker_headline(checker, details);
    }
  }
  if (o.summary.empty() && results.value("interrupted", false)) o.summary = "interrupted before the run finished";
  if (o.summary.empty())
    for (const auto& [checker, details] : checkers.items())
      if (!details.contains("valid") || !details["valid"].is_boolean()) {
        o.summary = checker + " unknown: " + checker_headline(checker, details);
        break;
      }
  if (checkers.contains("availability"))
    o.ok_share_during_faults = checkers["availability"].get<AvailabilityResult>().inside.ok_share();
  if (checkers.contains("latency")) {
    const auto latency = checkers["latency"].get<LatencyResult>();
    o.p50_ms = latency.all.p50_ms;
    o.p99_ms = latency.all.p99_ms;
    o.ok_per_s = latency.ok_per_s;
  }
  std::vector<double> anomaly_times_ns;
  if (checkers.value("/linearizability/valid"_json_pointer, json(true)) == false)
    if (checkers["linearizability"].contains("anomaly"))
      anomaly_times_ns.push_back(
          static_cast<double>(checkers["linearizability"]["anomaly"].get<LinearizabilityAnomaly>().op.invoke_time_ns));
  if (checkers.value("/set/valid"_json_pointer, json(true)) == false && checkers.contains("set"))
    for (const SetAddedElement& lost : checkers["set"].get<SetResult>().lost.listed)
      if (lost.add.complete_time_ns) anomaly_times_ns.push_back(static_cast<double>(*lost.add.complete_time_ns));
  if (!anomaly_times_ns.empty())
    o.first_anomaly_s = *std::min_element(anomaly_times_ns.begin(), anomaly_times_ns.end()) / 1e9;
  return o;
}

std::expected<SuiteRunOutcome, std::string> outcome_from_summary_run(const SuiteCell& cell, const json& run) {
  if (!run.is_object()) return std::unexpected("a run: expected an object");
  SuiteRunOutcome o;
  o.cell = cell;
  if (!run.value("seed", json()).is_number_unsigned()) return std::unexpected("a run's seed: a non-negative integer is required");
  o.seed = run["seed"];
  for (auto [field, value] : {std::pair{"verdict", &o.verdict}, std::pair{"summary", &o.summary}, std::pair{"target", &o.target},
                              std::pair{"run_directory", &o.run_directory}, std::pair{"reproduce", &o.reproduce}}) {
    if (!run.value(field, json("")).is_string())
      return std::unexpected("the run of seed " + std::to_string(o.seed) + ": " + field + ": a string is required");
    *value = run.value(field, "");
  }
  if (o.verdict.empty()) return std::unexpected("the run of seed " + std::to_string(o.seed) + ": verdict: missing");
  o.anomalies = run.value("anomalies", json(0)).is_number_integer() ? run["anomalies"].get<int>() : 0;
  o.ok_share_during_faults = optional_of(run.value("availability", json()));
  o.p50_ms = optional_of(run.value("p50_ms", json()));
  o.p99_ms = optional_of(run.value("p99_ms", json()));
  o.ok_per_s = optional_of(run.value("ok_per_s", json()));
  o.first_anomaly_s = optional_of(run.value("first_anomaly_s", json()));
  o.elapsed_s = optional_of(run.value("elapsed_s", json())).value_or(0);
  return o;
}

json suite_summary_json(const SuiteSpec& spec, const std::vector<SuiteRunOutcome>& outcomes, std::size_t planned_runs,
                        const std::string& started, double elapsed_s, bool interrupted) {
  json nemeses = json::array(), rows = json::array(), cells = json::array();
  for (const SuiteAxis& nemesis : spec.nemeses) nemeses.push_back(nemesis.name);
  int met = 0, missed = 0, unknown = 0;
  for (const SuiteRunOutcome& o : outcomes) {
    if (o.met()) ++met;
    else if (o.verdict == "valid" || o.verdict == "invalid") ++missed;
    else ++unknown;
  }
  for (const SuiteConfiguration& configuration : spec.configurations) {
    for (const SuiteAxis& workload : spec.workloads) {
      rows.push_back({{"configuration", configuration.axis.name}, {"workload", workload.name}});
      for (const SuiteAxis& nemesis : spec.nemeses) {
        std::vector<const SuiteRunOutcome*> runs;
        for (const SuiteRunOutcome& o : outcomes)
          if (o.cell.configuration == configuration.axis.name && o.cell.workload == workload.name &&
              o.cell.nemesis == nemesis.name)
            runs.push_back(&o);
        if (runs.empty()) continue;
        // In the order of the suite's seeds, whatever order they finished in.
        const auto seed_position = [&](const SuiteRunOutcome* o) {
          return std::find(spec.seeds.begin(), spec.seeds.end(), o->seed) - spec.seeds.begin();
        };
        std::stable_sort(runs.begin(), runs.end(), [&](const SuiteRunOutcome* a, const SuiteRunOutcome* b) {
          return seed_position(a) < seed_position(b);
        });
        json cell = {{"configuration", configuration.axis.name}, {"workload", workload.name},
                     {"nemesis", nemesis.name}, {"expect", runs.front()->cell.expect}};
        // invalid > unknown > valid (error counts as unknown).
        bool any_invalid = false, any_unknown = false, all_met = true;
        int invalid_runs = 0;
        std::vector<double> availability, p50, p99, rate, first_anomaly;
        json run_list = json::array();
        for (const SuiteRunOutcome* o : runs) {
          any_invalid |= o->verdict == "invalid";
          any_unknown |= o->verdict != "invalid" && o->verdict != "valid";
          all_met &= o->met();
          invalid_runs += o->verdict == "invalid";
          if (o->ok_share_during_faults) availability.push_back(*o->ok_share_during_faults);
          if (o->p50_ms) p50.push_back(*o->p50_ms);
          if (o->p99_ms) p99.push_back(*o->p99_ms);
          if (o->ok_per_s) rate.push_back(*o->ok_per_s);
          if (o->first_anomaly_s) first_anomaly.push_back(*o->first_anomaly_s);
          run_list.push_back(run_json(*o));
        }
        cell["verdict"] = any_invalid ? "invalid" : any_unknown ? "unknown" : "valid";
        cell["met"] = all_met;
        cell["invalid_runs"] = invalid_runs;
        cell["availability"] = optional_json(median(availability));
        cell["p50_ms"] = optional_json(median(p50));
        cell["p99_ms"] = optional_json(median(p99));
        cell["ok_per_s"] = optional_json(median(rate));
        cell["first_anomaly_s"] = optional_json(median(first_anomaly));
        cell["runs"] = run_list;
        // The system each row ran, as its runs name it (with its version): the matrix shows it.
        for (const SuiteRunOutcome* o : runs)
          if (!o->target.empty() && !rows.back().contains("target")) rows.back()["target"] = o->target;
        cells.push_back(cell);
      }
    }
  }
  return {{"suite", spec.name},
          {"description", spec.description},
          {"started", started},
          {"elapsed_s", elapsed_s},
          {"interrupted", interrupted},
          {"exit_code", suite_exit_code(outcomes, interrupted)},
          {"counts",
           {{"planned", planned_runs},
            {"runs", outcomes.size()},
            {"met", met},
            {"missed", missed},
            {"unknown", unknown}}},
          {"nemeses", nemeses},
          {"rows", rows},
          {"cells", cells}};
}

int suite_exit_code(const std::vector<SuiteRunOutcome>& outcomes, bool interrupted) {
  bool missed = false, unknown = interrupted;
  for (const SuiteRunOutcome& o : outcomes) {
    if (o.met()) continue;
    if (o.verdict == "valid" || o.verdict == "invalid") missed = true;
    else unknown = true;
  }
  if (missed) return exit_invalid;
  return unknown ? exit_unknown : exit_valid;
}

}  // namespace faultline
