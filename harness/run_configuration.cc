#include "run_configuration.h"

#include <sstream>

#include "target_factory.h"

namespace faultline {
namespace {

std::string number_text(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

std::string joined(const std::vector<std::string>& values, const std::string& none) {
  std::string text;
  for (const std::string& value : values) text += (text.empty() ? "" : ", ") + value;
  return text.empty() ? none : text;
}

}  // namespace

std::string system_text(const TestOptions& options, const nlohmann::json& target_details) {
  const TargetKind* kind = find_target_kind(options.target);
  std::string text = kind != nullptr ? kind->run_name_prefix(target_own_options(options)) : options.target;
  const std::string version = target_details.is_object() ? target_details.value("version", "") : "";
  return version.empty() ? text : text + " " + version;
}

nlohmann::json configuration_rows(const TestOptions& o, const nlohmann::json& target_details) {
  nlohmann::json rows = nlohmann::json::array();
  auto row = [&](const std::string& label, const std::string& value) { rows.push_back({label, value}); };
  const std::string version = target_details.is_object() ? target_details.value("version", "") : "";
  row("target", o.target + (version.empty() ? "" : " " + version));
  row("nodes (N)", std::to_string(o.nodes));
  if (const TargetKind* kind = find_target_kind(o.target))
    for (const auto& [label, value] : kind->configuration(target_own_options(o))) row(label, value);
  row("workload", o.workload);
  if (o.workload == "kv") row("keys", std::to_string(o.keys));
  if (o.workload == "register" || o.workload == "kv") {
    row("values", "0.." + std::to_string(o.values - 1));
    row("compare-and-set", o.cas ? "yes" : "no (--no-cas)");
  }
  if (o.workload == "lock") row("lock fencing", o.lock_fencing);
  if (o.workload == "list-append" || o.workload == "rw-register") row("consistency claimed", o.consistency);
  row("clients", std::to_string(o.clients));
  row("rate (ops/s)", number_text(o.rate));
  row("request timeout (s)", number_text(o.request_timeout_s));
  row("nemesis", joined(o.nemesis, "none"));
  if (!o.nemesis.empty()) {
    row("nemesis interval (s)", number_text(o.nemesis_interval_s));
    row("nemesis targets", o.nemesis_targets);
  }
  if (needs_network_control(o)) row("network", o.network);
  if (has_nemesis(o, "partition")) {
    row("partition shapes", joined(o.partition_kinds, "none"));
    if (!o.partition_grudge.empty()) row("partition grudge", o.partition_grudge);
  }
  if (has_nemesis(o, "packet")) row("packet behaviours", joined(packet_behaviours_drawn(o), "none"));
  if (!o.replay_of.empty())
    row("replay of", o.replay_of + (o.faults_from.empty() ? " (its faults, at their times)"
                                                          : " (the faults in " + o.faults_from + ", at their times)"));
  row("seed", std::to_string(o.seed));
  row("time limit (s)", number_text(o.time_limit_s));
  return rows;
}

}  // namespace faultline
