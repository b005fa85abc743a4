// Jepsen's old text log (as in the Porcupine test data of Jepsen's etcd test):
//   INFO  jepsen.util - 3	:invoke	:cas	[1 4]
// Fields are separated by tabs or spaces. Types :invoke :ok :fail :info; values nil, an
// integer, [a b], or a keyword such as :timed-out.
// `:fail :read :timed-out` is a read whose outcome is unknown; since a read never changes
// the state, it is recorded as a `fail` (it did not happen) and its process goes on.
#pragma once

#include <iosfwd>
#include <string>

#include "op_sink.h"

namespace faultline {

Expected<void> read_jepsen_log(std::istream& in, const std::string& source, const OpSink& sink);

}  // namespace faultline
