// Histories in EDN, as Jepsen writes history.edn and as Knossos keeps its test data: a
// vector or list of op maps, or maps one after another (one a line), e.g.
//   {:process 16, :type :invoke, :f :cas, :value [1 0]}
// - A record, #jepsen.history.Op{...}, reads as its map.
// - Keys in any order. :process, :type and :f are required, with two exceptions for Elle's
//   histories: a missing :f reads as "txn" when the value is a transaction (a vector of
//   micro-ops such as [:append 9 1] [:r 9 nil]); and a history with no :process on any client op
//   reads as one process (0) when each invocation is directly followed by its completion (Elle's
//   paper example), and is an error naming the line otherwise; :value (any EDN, default nil),
//   :time (integer nanoseconds, default 0) and :index (non-negative integer, default: the
//   position) are kept; other keys (:error, ...) are ignored. A key given twice is an error.
// - :process is a non-negative integer, or :nemesis (or "nemesis") for the nemesis, whose
//   ops are not paired and may have any f and value.
// - :type is :invoke, :ok, :fail or :info; :f a keyword or a string. Strings are accepted
//   for both because some tools write them; they mean the same.
// - :value becomes JSON (see edn_to_json): keywords -> strings, sets -> arrays,
//   maps -> objects with stringified keys, nil -> null.
// - Jepsen's independent keys: when every client (non-nemesis) op's value is a tuple
//   [key value] (for f cas: [key [from to]]) whose key is an integer, keyword or string,
//   the key becomes op.key (integers as decimal text) and the second element op.value.
//   Otherwise values are kept whole.
// Each op's line is the line where its map starts. Errors: the EDN reader's (see edn.h),
// an element that is not a map, a missing or malformed field (named in InputError::field),
// and whatever the sink returns.
#pragma once

#include <iosfwd>
#include <string>

#include "op_sink.h"

namespace faultline {

Expected<void> read_edn_history(std::istream& in, const std::string& source, const OpSink& sink);

}  // namespace faultline
