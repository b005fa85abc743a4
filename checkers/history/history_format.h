// Which format a history file is in, how to tell, and reading any of them into a History.
//   jsonl       faultline's own (see jsonl.h)
//   jepsen-log  Jepsen's old text log: "INFO  jepsen.util - 3	:invoke	:cas	[1 4]"
//   edn         Jepsen's history.edn and Knossos' test data: EDN maps, in a vector or not
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "history.h"

namespace faultline {

enum class HistoryFormat { auto_detect, jsonl, jepsen_log, edn };

std::optional<HistoryFormat> parse_history_format(std::string_view name);
std::string_view to_string(HistoryFormat format);

// Tells the format from the start of a file's text; nullopt when it is none of them.
std::optional<HistoryFormat> detect_history_format(std::string_view head);

// Reads and validates a whole history. The error names `source`, the line and the field.
Expected<History> read_history(std::istream& in, const std::string& source, HistoryFormat format);

// The same for a file; a file that cannot be opened is an InputError too.
Expected<History> read_history_file(const std::string& path, HistoryFormat format);

}  // namespace faultline
