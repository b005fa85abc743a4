// What kinds of anomaly a run found, from its results.json: the classes `faultline shrink`
// compares to decide whether a candidate reproduced the run's anomaly. A class is a checker
// that said invalid ("linearizability"), refined where the checker names kinds: the set
// checker's ("set: lost") and the transactional checkers' anomaly types ("list-append: G0").
#pragma once

#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline {

std::set<std::string> anomaly_classes(const nlohmann::json& results);

// "linearizability, set: lost", or "none".
std::string classes_text(const std::set<std::string>& classes);

}  // namespace faultline
