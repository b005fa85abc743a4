// Histories in EDN, as Jepsen writes history.edn and as Knossos keeps its test data: a
// vector or list of op maps, or maps one after another, e.g.
//   {:process 16, :type :invoke, :f :cas, :value [1 0]}
// Keys in any order; extra keys (:time, :index, :error, ...) are ignored, except :time
// (nanoseconds) and :index which are kept. `:process :nemesis` becomes the nemesis.
// Jepsen's independent keys (`:value [key value]` tuples, f not a nemesis f) map to `key`
// when every client op of the file carries such a tuple (cas: [key [from to]]).
#pragma once

#include <iosfwd>
#include <string>

#include "op_sink.h"

namespace faultline {

Expected<void> read_edn_history(std::istream& in, const std::string& source, const OpSink& sink);

}  // namespace faultline
