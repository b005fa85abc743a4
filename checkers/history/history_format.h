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

enum class HistoryFormat { auto_detect, jsonl, jepsen_log, edn, elle_json };

std::optional<HistoryFormat> parse_history_format(std::string_view name);
std::string_view to_string(HistoryFormat format);

// Tells the format from the start of a file's text; nullopt when it is none of them.
std::optional<HistoryFormat> detect_history_format(std::string_view head);

// What the start of an input shows: its format, or that it is blank (whitespace only, so far:
// an empty history in every format), or neither (not a history in any known format).
struct DetectedHistoryFormat {
  std::optional<HistoryFormat> format;
  bool blank = false;
};
// Reads the first bytes of `in` and rewinds it.
DetectedHistoryFormat detect_history_format(std::istream& in);

// Reads and validates a whole history. The error names `source`, the line and the field.
// auto_detect: the format the start shows; an input that starts blank is read as JSON Lines,
// which takes blank lines as nothing (so an empty file is an empty history).
Expected<History> read_history(std::istream& in, const std::string& source, HistoryFormat format);

// The same for a file; a file that cannot be opened is an InputError too.
Expected<History> read_history_file(const std::string& path, HistoryFormat format);

}  // namespace faultline
