#include "measurement_results.h"

namespace faultline {

using nlohmann::json;

namespace {

json optional_json(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }
json optional_json(const std::optional<std::int64_t>& value) { return value ? json(*value) : json(nullptr); }

template <typename T>
std::optional<T> optional_number(const json& object, const char* name) {
  if (!object.contains(name) || !object[name].is_number()) return std::nullopt;
  return object[name].get<T>();
}

std::optional<std::string> optional_string(const json& object, const char* name) {
  if (!object.contains(name) || !object[name].is_string()) return std::nullopt;
  return object[name].get<std::string>();
}

json object_at(const json& object, const char* name) {
  return object.contains(name) && object[name].is_object() ? object[name] : json::object();
}

std::optional<double> share_of(std::int64_t part, std::int64_t count) {
  if (count <= 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(count);
}

}  // namespace

std::optional<double> OutcomeCounts::ok_share() const { return share_of(ok, count); }
std::optional<double> OutcomeCounts::answered_share() const { return share_of(answered, count); }

void to_json(json& out, const OutcomeCounts& s) {
  out = {{"count", s.count},
         {"ok_count", s.ok},
         {"fail_count", s.fail},
         {"info_count", s.info},
         {"ok_share", optional_json(s.ok_share())},
         {"answered_count", s.answered},
         {"answered_share", optional_json(s.answered_share())}};
}

json counts_json(const OutcomeCounts& s) {
  return {{"count", s.count}, {"ok_count", s.ok}, {"fail_count", s.fail}, {"info_count", s.info}};
}

void from_json(const json& in, OutcomeCounts& s) {
  s = OutcomeCounts{};
  if (!in.is_object()) return;
  s.count = in.value("count", std::int64_t{0});
  s.ok = in.value("ok_count", std::int64_t{0});
  s.fail = in.value("fail_count", std::int64_t{0});
  s.info = in.value("info_count", std::int64_t{0});
  // Results written before answers were counted apart: every ok was an answer.
  s.answered = in.value("answered_count", s.ok);
}

void to_json(json& out, const AvailabilityResult& r) {
  json windows = json::array();
  for (const FaultWindowResult& w : r.windows)
    windows.push_back({{"kind", w.kind},
                       {"f", w.f},
                       {"value", w.value},
                       {"start_index", w.start_index},
                       {"start_time_ns", w.start_time_ns},
                       {"end_index", optional_json(w.end_index)},
                       {"end_time_ns", optional_json(w.end_time_ns)},
                       {"ops", w.ops}});
  out = {{"inside", r.inside},
         {"outside", r.outside},
         {"windows", std::move(windows)},
         {"windows_count", r.windows_count},
         {"unknown_nemesis_fs", r.unknown_nemesis_fs}};
  if (r.reason) out["reason"] = *r.reason;
}

void from_json(const json& in, AvailabilityResult& r) {
  r = AvailabilityResult{};
  if (!in.is_object()) return;
  r.inside = object_at(in, "inside").get<OutcomeCounts>();
  r.outside = object_at(in, "outside").get<OutcomeCounts>();
  if (in.contains("windows") && in["windows"].is_array()) {
    for (const json& w : in["windows"]) {
      if (!w.is_object()) continue;
      FaultWindowResult window;
      window.kind = w.value("kind", std::string());
      window.f = w.value("f", std::string());
      window.value = w.value("value", json());
      window.start_index = w.value("start_index", std::int64_t{-1});
      window.start_time_ns = w.value("start_time_ns", std::int64_t{0});
      window.end_index = optional_number<std::int64_t>(w, "end_index");
      window.end_time_ns = optional_number<std::int64_t>(w, "end_time_ns");
      window.ops = object_at(w, "ops").get<OutcomeCounts>();
      r.windows.push_back(std::move(window));
    }
  }
  r.windows_count = in.value("windows_count", r.windows.size());
  if (in.contains("unknown_nemesis_fs") && in["unknown_nemesis_fs"].is_array())
    for (const json& f : in["unknown_nemesis_fs"])
      if (f.is_string()) r.unknown_nemesis_fs.push_back(f.get<std::string>());
  r.reason = optional_string(in, "reason");
}

void to_json(json& out, const LatencySummary& s) {
  out = {{"ok_count", s.ok_count},
         {"p50_ms", optional_json(s.p50_ms)},
         {"p90_ms", optional_json(s.p90_ms)},
         {"p99_ms", optional_json(s.p99_ms)},
         {"max_ms", optional_json(s.max_ms)}};
}

void from_json(const json& in, LatencySummary& s) {
  s = LatencySummary{};
  if (!in.is_object()) return;
  s.ok_count = in.value("ok_count", std::int64_t{0});
  s.p50_ms = optional_number<double>(in, "p50_ms");
  s.p90_ms = optional_number<double>(in, "p90_ms");
  s.p99_ms = optional_number<double>(in, "p99_ms");
  s.max_ms = optional_number<double>(in, "max_ms");
}

void to_json(json& out, const LatencyResult& r) {
  json by_f = json::object();
  for (const auto& [f, summary] : r.by_f) by_f[f] = summary;
  out = {{"by_f", std::move(by_f)}, {"all", r.all}, {"duration_s", r.duration_s}, {"ok_per_s", optional_json(r.ok_per_s)}};
  if (r.reason) out["reason"] = *r.reason;
}

void from_json(const json& in, LatencyResult& r) {
  r = LatencyResult{};
  if (!in.is_object()) return;
  const json by_f = object_at(in, "by_f");
  for (const auto& [f, summary] : by_f.items()) r.by_f[f] = summary.get<LatencySummary>();
  r.all = object_at(in, "all").get<LatencySummary>();
  r.duration_s = in.value("duration_s", 0.0);
  r.ok_per_s = optional_number<double>(in, "ok_per_s");
  r.reason = optional_string(in, "reason");
}

}  // namespace faultline
