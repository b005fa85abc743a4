// The anomaly diagram (step b): an SVG of the ops around a linearizability violation, one
// lane per process on a time axis. The longest linearizable order is numbered and joined by
// a line; the op that cannot be placed is red; for an overwrite, the setter and the
// overwriter are marked too. Every label is escaped.
#pragma once

#include <iosfwd>

#include <nlohmann/json.hpp>

namespace faultline {

// `view` is report data's "anomaly_view"; `faults` its "faults" (shaded where they overlap).
void write_anomaly_svg(std::ostream& out, const nlohmann::json& view, const nlohmann::json& faults);

}  // namespace faultline
