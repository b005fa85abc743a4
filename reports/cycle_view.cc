#include "cycle_view.h"

#include <algorithm>
#include <limits>

#include "report_data.h"
#include "report_limits.h"

namespace faultline {

using nlohmann::json;

namespace {

double ms_of(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

// The transaction the checker names by `index` (its completion's op index, or its invocation's
// when it never completed); null when the history has no such op.
json transaction_of(const History& history, std::int64_t index, const std::string& label) {
  if (index < 0 || static_cast<std::size_t>(index) >= history.size()) return nullptr;
  const std::size_t at = static_cast<std::size_t>(index);
  const Op& named = history[at];
  const std::int64_t partner = history.partner(at);
  const bool completion = named.is_completion();
  const Op& invoke = completion && partner >= 0 ? history[static_cast<std::size_t>(partner)] : named;
  const Op* done = completion ? &named : (partner >= 0 ? &history[static_cast<std::size_t>(partner)] : nullptr);
  return {{"index", index},
          {"label", label},
          {"process", invoke.process},
          {"type", done ? std::string(to_string(done->type)) : "info"},
          {"value", done && !done->value.is_null() ? done->value : invoke.value},
          {"invoke_index", invoke.index},
          {"start_ms", ms_of(invoke.time_ns)},
          {"end_ms", done ? json(ms_of(done->time_ns)) : json(nullptr)}};
}

json cycle_view(const History& history, const json& anomaly, const json& faults) {
  json view = {{"steps", anomaly.value("steps", json::array())}, {"txns", json::array()}};
  double begin = std::numeric_limits<double>::max(), end = 0;
  std::size_t n = 0;
  for (const json& index : anomaly["cycle"]) {
    json txn = transaction_of(history, index.is_number_integer() ? index.get<std::int64_t>() : -1,
                              "T" + std::to_string(++n));
    if (txn.is_null()) continue;
    begin = std::min(begin, txn["start_ms"].get<double>());
    end = std::max(end, txn["end_ms"].is_null() ? txn["start_ms"].get<double>() : txn["end_ms"].get<double>());
    view["txns"].push_back(std::move(txn));
  }
  if (!view["txns"].empty()) view["faults"] = faults_at(faults, begin, end);
  return view;
}

}  // namespace

json build_cycle_views(const History& history, const std::string& checker, const json& details, const json& faults) {
  json classes = json::array();
  const json anomalies = details.value("anomalies", json::object());
  if (!anomalies.is_object()) return {{"checker", checker}, {"classes", classes}};
  for (const auto& [name, found] : anomalies.items()) {
    if (!found.is_array()) continue;
    json entry = {{"name", name}, {"count", found.size()}, {"cycles", json::array()}, {"others", json::array()}};
    for (const json& anomaly : found) {
      const bool is_cycle = anomaly.is_object() && anomaly.contains("cycle") && anomaly["cycle"].is_array();
      json& list = is_cycle ? entry["cycles"] : entry["others"];
      if (list.size() >= (is_cycle ? cycles_drawn_per_class_max : anomalies_listed_per_class_max)) continue;
      list.push_back(is_cycle ? cycle_view(history, anomaly, faults) : anomaly);
    }
    classes.push_back(std::move(entry));
  }
  return {{"checker", checker}, {"classes", classes}};
}

}  // namespace faultline
