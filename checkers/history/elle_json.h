// elle-cli's JSON histories: one JSON array of op objects, as elle-cli reads and writes them,
// e.g.
//   [{"index":0,"process":0,"type":"invoke","value":[["append",1,1]]},
//    {"index":1,"process":0,"type":"ok","value":[["append",1,1]]}, ...]
// An object's fields are those of faultline's JSON Lines (jsonl.h); "f" may be absent and then
// is "txn" (elle-cli's histories are transactions). The array may be laid out over any number
// of lines; errors name the line where the op's object begins.
#pragma once

#include <iosfwd>
#include <string>

#include "op_sink.h"

namespace faultline {

// Reads the array in `in`, handing each op to `sink`. Errors name `source`, the line and the field.
Expected<void> read_elle_json(std::istream& in, const std::string& source, const OpSink& sink);

}  // namespace faultline
