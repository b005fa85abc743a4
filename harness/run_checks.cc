#include "run_checks.h"

#include <cstdio>
#include <exception>
#include <functional>

#include "results/linearizability_anomaly.h"
#include "results/measurement_results.h"
#include "results/set_result.h"
#include "stats/availability.h"
#include "stats/latency.h"
#include "stats/recovery.h"
#include "stats/stats_checker.h"

namespace faultline {
namespace {

using nlohmann::json;

NamedResult guarded(const std::string& name, const std::function<CheckResult()>& check) {
  try {
    return {name, check()};
  } catch (const std::exception& error) {
    return {name, CheckResult{Verdict::unknown, {{"error", std::string("the checker failed: ") + error.what()}}}};
  }
}

std::string number(double value, const char* format = "%.1f") {
  char text[64];
  std::snprintf(text, sizeof text, format, value);
  return text;
}

}  // namespace

// The one fact about a checker's result worth a line on the terminal.
std::string checker_headline(const std::string& checker, const json& d) {
  if (d.contains("error")) return d["error"].get<std::string>();
  if (d.contains("anomaly") && d["anomaly"].is_object()) {
    const auto anomaly = d["anomaly"].get<LinearizabilityAnomaly>();
    return (anomaly.key.empty() ? std::string() : "key " + anomaly.key + ": ") + anomaly.explanation;
  }
  if (d.contains("reason") && d["reason"].is_string()) return d["reason"].get<std::string>();
  if (checker == "stats" && d.contains("count")) {
    const auto counts = d.get<OutcomeCounts>();
    return std::to_string(counts.count) + " ops: " + std::to_string(counts.ok) + " ok, " + std::to_string(counts.fail) +
           " fail, " + std::to_string(counts.info) + " info";
  }
  if (checker == "availability" && d.contains("inside")) {
    const auto availability = d.get<AvailabilityResult>();
    auto percent = [](std::optional<double> share) { return share ? number(100 * *share, "%.0f%%") : std::string("-"); };
    const std::string windows = std::to_string(availability.windows_count) + " fault windows)";
    // Older results have no answered share: they say what they measured, ok.
    if (!d["inside"].contains("answered_share"))
      return "ok during faults " + percent(availability.inside.ok_share()) + ", outside faults " +
             percent(availability.outside.ok_share()) + " (" + windows;
    return "answered during faults " + percent(availability.inside.answered_share()) + ", outside faults " +
           percent(availability.outside.answered_share()) + " (ok " + percent(availability.inside.ok_share()) + ", " +
           percent(availability.outside.ok_share()) + "; " + windows;
  }
  if (checker == "latency" && d.contains("all")) {
    const auto latency = d.get<LatencyResult>();
    if (!latency.all.p50_ms) return "no ok ops";
    return "ok ops: p50 " + number(*latency.all.p50_ms) + " ms, p99 " + number(latency.all.p99_ms.value_or(0)) +
           " ms, max " + number(latency.all.max_ms.value_or(0)) + " ms; " + number(latency.ok_per_s.value_or(0), "%.0f") +
           " ok/s";
  }
  if (checker == "set" && d.contains("adds")) {
    const SetResult set = d.get<SetResult>();
    std::string text = std::to_string(set.adds.ok) + " adds ok, " + std::to_string(set.adds.info) + " unknown; " +
                       std::to_string(set.final_reads) + " final reads";
    const std::pair<const char*, std::size_t> counts[] = {{"lost", set.lost.count},
                                                          {"unexpected", set.unexpected.count},
                                                          {"duplicated", set.duplicated.count},
                                                          {"failed_but_present", set.failed_but_present.count},
                                                          {"late", set.late.count}};
    for (const auto& [anomaly, count] : counts)
      if (count > 0) text += "; " + std::string(anomaly) + " " + std::to_string(count);
    if (!set.lost.listed.empty()) {
      const SetAddedElement& first = set.lost.listed.front();
      text += " (e.g. element " + std::to_string(first.element) + ", acknowledged at op " +
              (first.add.complete_index ? std::to_string(*first.add.complete_index) : std::string("null")) + ")";
    }
    return text;
  }
  if ((checker == "list-append" || checker == "rw-register") && d.contains("transactions")) {
    std::string text = std::to_string(d.value("transactions", 0)) + " transactions, " +
                       std::to_string(d.value("edges", 0)) + " dependency edges";
    auto names = [](const json& list) {
      std::string out;
      for (const json& name : list) out += (out.empty() ? "" : ", ") + name.get<std::string>();
      return out;
    };
    if (d.contains("anomaly-types") && !d["anomaly-types"].empty()) text += "; anomalies: " + names(d["anomaly-types"]);
    if (d.contains("not") && !d["not"].empty()) text += "; not " + names(d["not"]);
    return text;
  }
  if (checker == "linearizability" && d.contains("ops"))
    return std::to_string(d.value("ops", 0)) + " ops on " + std::to_string(d.value("keys", 0)) + " keys";
  return "";
}

std::vector<NamedResult> run_checkers(const History& history, const Workload& workload) {
  std::vector<NamedResult> results;
  try {
    results = workload.check(history);
  } catch (const std::exception& error) {
    results.push_back({workload.name(), CheckResult{Verdict::unknown, {{"error", std::string("the checker failed: ") + error.what()}}}});
  }
  results.push_back(guarded("stats", [&] { return check_stats(history); }));
  results.push_back(guarded("availability", [&] { return check_availability(history); }));
  results.push_back(guarded("latency", [&] { return check_latency(history); }));
  results.push_back(guarded("recovery", [&] { return check_recovery(history); }));
  return results;
}

Verdict merged_verdict(const std::vector<NamedResult>& results) {
  Verdict verdict = Verdict::valid;
  for (const NamedResult& named : results) verdict = merge(verdict, named.result.verdict);
  return verdict;
}

json results_json(const std::vector<NamedResult>& results, Verdict verdict, const json& extra) {
  json checkers = json::object();
  for (const NamedResult& named : results) {
    json entry = named.result.details.is_object() ? named.result.details : json::object();
    entry["valid"] = verdict_to_json(named.result.verdict);
    checkers[named.checker] = std::move(entry);
  }
  json out = {{"valid", verdict_to_json(verdict)}, {"checkers", std::move(checkers)}};
  for (const auto& [key, value] : extra.items()) out[key] = value;
  return out;
}

std::string summarize_results(const std::vector<NamedResult>& results) {
  std::string text;
  for (const NamedResult& named : results) {
    char line[64];
    std::snprintf(line, sizeof line, "  %-16s %-8s ", named.checker.c_str(), std::string(to_string(named.result.verdict)).c_str());
    text += line + checker_headline(named.checker, named.result.details) + "\n";
  }
  return text;
}

}  // namespace faultline
