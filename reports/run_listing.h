// The page `faultline serve` shows at "/": every run of a store, newest first, each with its
// verdict and configuration and a link to its report. Rendered in the report's three steps
// (STYLE principle 11): summarize_run builds a run's summary from its stored JSON (pure),
// write_run_listing_html writes the page to a stream (pure); harness/store_scan reads the
// disk and harness/store_server sends the page.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline {

// One run as the listing shows it; every field is text for the page, escaped when written.
struct RunSummary {
  std::string name;       // store/<name>/
  std::string run_id;     // the run directory: "20261122T132959", or "20261122T132959-2"
  std::string started;    // "2026-11-22 13:29:59 UTC", or the run id when it is not a timestamp
  std::string verdict;    // "valid", "invalid", "unknown", or "no results" (running, crashed)
  bool interrupted = false;
  std::string protocol, nodes, read_quorum, write_quorum, nemesis, workload, seed, bug;
  bool has_report = false;
};

// The summary of store/<name>/<run_id>/ from its results.json and test.json; either may be
// null (missing or unreadable): the summary then says "no results" or "?".
RunSummary summarize_run(const std::string& name, const std::string& run_id, const nlohmann::json& results,
                         const nlohmann::json& test, bool has_report);

// Newest first: by the run id's time (and suffix), then by name.
void sort_newest_first(std::vector<RunSummary>& runs);

// What the page says about the store as a whole.
struct RunListingContext {
  std::string store;              // the store's path, as given to `faultline serve`
  std::size_t runs_found = 0;     // runs in the store; more than runs.size() when the list was cut
};

// The listing page. `runs` in the order given (see sort_newest_first).
void write_run_listing_html(std::ostream& out, const std::vector<RunSummary>& runs, const RunListingContext& context);

// A path segment for a URL: every byte but A-Z a-z 0-9 - . _ ~ percent-encoded.
std::string percent_encode_segment(const std::string& segment);

}  // namespace faultline
