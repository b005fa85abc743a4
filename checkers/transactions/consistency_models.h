// Consistency models and the anomalies they forbid, as Elle relates them
// (elle.consistency-model, which cites Adya, Bailis et al., Cerone et al., Daudjee & Salem,
// Fekete et al. and others): which anomalies imply which, which models imply which, which
// anomalies each model directly forbids. From those: the anomalies a claimed model forbids,
// and the models a set of found anomalies rules out (the weakest, `not`; the rest, `also_not`).
// Names are Elle's friendly ones (serializable, not PL-3); Adya's names are accepted as aliases.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::transactions {

// The model's friendly name for a name or alias (PL-3 -> serializable), or nullopt if unknown.
std::optional<std::string> canonical_model_name(std::string_view name);
// Every model name this module knows, sorted.
std::vector<std::string> known_models();

// Anomalies that must not appear if all of `models` hold (with every anomaly implying one).
std::set<std::string> anomalies_prohibited_by(const std::vector<std::string>& models);

// Anomalies implied by `anomalies`, those included.
std::set<std::string> all_implied_anomalies(const std::set<std::string>& anomalies);

struct Boundary {
  std::set<std::string> not_models;   // the weakest models the anomalies rule out
  std::set<std::string> also_not;     // every other model they rule out
};
Boundary models_ruled_out(const std::set<std::string>& anomalies);

}  // namespace faultline::transactions
