#include "store_scan.h"

#include <fstream>
#include <sstream>
#include <system_error>

#include "serve_limits.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The file as JSON, or null when it is missing, too large or not JSON.
json read_json_or_null(const fs::path& path) {
  std::error_code error;
  const auto size = fs::file_size(path, error);
  if (error || size > run_json_bytes_max) return nullptr;
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream text;
  text << in.rdbuf();
  json value = json::parse(text.str(), nullptr, false);
  return value.is_discarded() ? json(nullptr) : value;
}

// Real directories only: `latest` and any other link is skipped, so each run is listed once
// and nothing outside the store is read.
std::vector<fs::path> subdirectories(const fs::path& directory) {
  std::vector<fs::path> found;
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    std::error_code status_error;
    if (it->is_directory(status_error) && !it->is_symlink(status_error)) found.push_back(it->path());
  }
  return found;
}

}  // namespace

StoreScan scan_store(const fs::path& store) {
  StoreScan scan;
  for (const fs::path& name_directory : subdirectories(store)) {
    for (const fs::path& run_directory : subdirectories(name_directory)) {
      std::error_code error;
      const bool has_test = fs::is_regular_file(run_directory / "test.json", error);
      const bool has_results = fs::is_regular_file(run_directory / "results.json", error);
      if (!has_test && !has_results) continue;
      scan.runs.push_back(summarize_run(name_directory.filename().string(), run_directory.filename().string(),
                                        read_json_or_null(run_directory / "results.json"),
                                        read_json_or_null(run_directory / "test.json"),
                                        fs::is_regular_file(run_directory / "report.html", error)));
    }
  }
  scan.runs_found = scan.runs.size();
  sort_newest_first(scan.runs);
  if (scan.runs.size() > runs_listed_max) scan.runs.resize(runs_listed_max);
  return scan;
}

}  // namespace faultline
