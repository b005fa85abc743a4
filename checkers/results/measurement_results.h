// What the measuring checkers found (stats/availability.h, stats/latency.h), as types: the
// checkers fill them, results.json stores them as their details, and the terminal headline,
// the report and suites read them back. Their JSON field names are spelled in one place,
// measurement_results.cc; reading is lenient (a missing field takes its default), so results
// written by older versions still render.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/op.h"

namespace faultline {

// How many client operations ended ok, fail or info, and how many the system answered (an ok,
// or an answer that was not ok: a failed compare).
struct OutcomeCounts {
  std::int64_t count = 0, ok = 0, fail = 0, info = 0, answered = 0;
  void add(OpType outcome, bool was_answered = false) {
    ++count;
    ok += outcome == OpType::ok;
    fail += outcome == OpType::fail;
    info += outcome == OpType::info;
    answered += outcome == OpType::ok || was_answered;
  }
  // ok / count and answered / count; none when count is 0.
  std::optional<double> ok_share() const;
  std::optional<double> answered_share() const;
};

struct FaultWindowResult {
  std::string kind;  // "killed", "partitioned", ... (stats/availability.h fault_window_kinds)
  std::string f;     // the nemesis f that opened it
  nlohmann::json value;
  std::int64_t start_index = -1;
  std::int64_t start_time_ns = 0;
  std::optional<std::int64_t> end_index;  // none: still open at the end of the history
  std::optional<std::int64_t> end_time_ns;
  OutcomeCounts ops;  // the client operations invoked while it was open
};

struct AvailabilityResult {
  OutcomeCounts inside, outside;         // invoked while some fault was in place, or none
  std::vector<FaultWindowResult> windows;  // the first availability_windows_listed_max
  std::size_t windows_count = 0;
  std::vector<std::string> unknown_nemesis_fs;
  std::optional<std::string> reason;  // why the verdict is unknown
};

// Latencies of ok operations, in milliseconds, by nearest rank; none when there were none.
struct LatencySummary {
  std::int64_t ok_count = 0;
  std::optional<double> p50_ms, p90_ms, p99_ms, max_ms;
};

struct LatencyResult {
  std::map<std::string, LatencySummary> by_f;
  LatencySummary all;
  double duration_s = 0;
  std::optional<double> ok_per_s;
  std::optional<std::string> reason;
};

// {"count", "ok_count", "fail_count", "info_count", "ok_share", "answered_count", "answered_share"}
// (shares null when count is 0); counts_json: the first four only, as the stats checker writes them.
void to_json(nlohmann::json& json, const OutcomeCounts& shares);
nlohmann::json counts_json(const OutcomeCounts& counts);
void from_json(const nlohmann::json& json, OutcomeCounts& shares);
void to_json(nlohmann::json& json, const AvailabilityResult& result);
void from_json(const nlohmann::json& json, AvailabilityResult& result);
void to_json(nlohmann::json& json, const LatencySummary& summary);
void from_json(const nlohmann::json& json, LatencySummary& summary);
void to_json(nlohmann::json& json, const LatencyResult& result);
void from_json(const nlohmann::json& json, LatencyResult& result);

}  // namespace faultline
