// Reads a store for `faultline serve`'s listing: every run directory store/<name>/<run>/ that
// holds a test.json or a results.json (the `latest` links are not runs of their own), summed
// up by summarize_run (reports/run_listing.h). Tolerant by design: a run without results
// (running, crashed) or with a file that is not JSON still gets a row that says so.
#pragma once

#include <filesystem>
#include <vector>

#include "run_listing.h"

namespace faultline {

struct StoreScan {
  std::vector<RunSummary> runs;  // newest first, at most runs_listed_max (serve_limits.h)
  std::size_t runs_found = 0;    // every run in the store
};

// An unreadable or missing store gives an empty scan: the page then says there are no runs.
StoreScan scan_store(const std::filesystem::path& store);

}  // namespace faultline
