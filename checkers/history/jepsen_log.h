// Jepsen's old text log (as in the Porcupine test data of Jepsen's etcd test):
//   INFO  jepsen.util - 3	:invoke	:cas	[1 4]
// Everything up to "jepsen.util - " is the logger's prefix. Then: the process (an integer,
// or :nemesis), the type (:invoke :ok :fail :info), f (any keyword: :read :write :cas ...)
// and the value (nil, an integer, [a b], a keyword such as :timed-out, or any other EDN
// value), separated by tabs or runs of spaces. Keywords become JSON strings without the ':'.
// `:fail :read :timed-out` is a read whose outcome is unknown; since a read never changes
// the state, it is kept as a `fail` (as if it did not happen) and its process goes on
// invoking, which an `info` would forbid.
// Lines without "jepsen.util - " (blank lines, other loggers of a whole jepsen.log) are
// skipped; a log with no op line at all is an error, not an empty history.
// Errors name the field: "process", "type", "f" or "value". Ops get time 0 and index -1.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>

#include "op_sink.h"

namespace faultline {

Expected<void> read_jepsen_log(std::istream& in, const std::string& source, const OpSink& sink);

// Parses one non-blank line. `source` and `line_number` only go into errors.
Expected<Op> parse_jepsen_log_line(std::string_view line, const std::string& source, std::int64_t line_number);

}  // namespace faultline
