// Step (c) of rendering a report (STYLE principle 11): the one function that touches the
// disk. It reads a run directory's history.jsonl, results.json and test.json, lists its
// nodes/*.log, reads dygraphs, and writes report.html into the run directory.
//
// Errors (values, STYLE principle 9): an InputError naming the file that is missing or bad
// (and the line and field, for the history), or report.html that cannot be written.
// A missing dygraphs is not an error: the page says so and shows everything else.
#pragma once

#include <filesystem>

#include "history/input_error.h"

namespace faultline {

// Debian's libjs-dygraphs.
inline const std::filesystem::path dygraphs_directory_default = "/usr/share/javascript/dygraphs";

// Writes <run_dir>/report.html and returns its path.
Expected<std::filesystem::path> write_report(const std::filesystem::path& run_dir,
                                             const std::filesystem::path& dygraphs_directory = dygraphs_directory_default);

}  // namespace faultline
