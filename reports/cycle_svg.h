// The diagram of one transactional cycle (step b): its transactions as boxes on a circle, in
// the cycle's order, each edge an arrow labelled with its kind (ww, wr, rw, realtime, process),
// coloured by kind. Every label is escaped; the full text of a box is its hover title.
#pragma once

#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline {

// `cycle`: one entry of cycle_view.h's "cycles"; `id`: unique on the page (the arrowhead's).
void write_cycle_svg(std::ostream& out, const nlohmann::json& cycle, const std::string& id);

// A transaction's micro-operations in a few words: "append 3 7, r 4 → [1 2]". `reads_known`: a
// read of null is a read of nothing ("nil", in an ok completion), not a read not yet done.
std::string micro_ops_text(const nlohmann::json& micro_ops, bool reads_known);

}  // namespace faultline
