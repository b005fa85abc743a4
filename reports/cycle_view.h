// The data of the transactional anomalies section (step a): for each anomaly class a
// transactional checker (list-append, rw-register) reported, the first cycles with every
// transaction they name (process, micro-operations, outcome, when it ran) and the faults in
// place meanwhile; anomalies that are not cycles (internal, G1a, incompatible-order, ...) are
// passed on as the checker wrote them. Pure.
//
//   {"checker": name, "classes": [{"name": "G-single-item", "count": n,
//      "cycles": [{"steps": [...as the checker wrote them], "txns": [{"index", "label" ("T1"),
//        "process", "type", "value", "invoke_index", "start_ms", "end_ms" (null: never
//        completed)}], "faults": {"during", "last_before"}}],
//      "others": [the first non-cycle anomalies, as written]}]}
#pragma once

#include <nlohmann/json.hpp>

#include "history/history.h"

namespace faultline {

// The transactional checkers' names in results.json, in the order the report shows them.
inline constexpr const char* transactional_checkers[] = {"list-append", "rw-register"};

// `details`: the checker's entry of results.json; `faults`: report data's "faults".
nlohmann::json build_cycle_views(const History& history, const std::string& checker, const nlohmann::json& details,
                                 const nlohmann::json& faults);

}  // namespace faultline
