#include "suite_outputs.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "suite_pages.h"

namespace faultline {

namespace {

namespace fs = std::filesystem;

// Writes `render`'s output to `path`: the page is complete in memory before the file opens.
template <typename Render>
bool write_file(const fs::path& path, Render render) {
  std::ostringstream text;
  render(text);
  std::ofstream out(path);
  out << text.str();
  return static_cast<bool>(out);
}

}  // namespace

bool write_suite_run_files(const fs::path& directory, const nlohmann::json& summary) {
  bool written = write_file(directory / "summary.json", [&](std::ostream& out) { out << summary.dump(2) << '\n'; });
  written &= write_file(directory / "junit.xml", [&](std::ostream& out) { write_suite_junit_xml(out, summary); });
  written &= write_file(directory / "matrix.html", [&](std::ostream& out) { write_suite_matrix_html(out, summary); });
  return written;
}

std::vector<nlohmann::json> whole_suite_summaries(const fs::path& suite_root) {
  std::vector<fs::path> directories;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(suite_root, error))
    if (entry.is_directory() && fs::exists(entry.path() / "summary.json")) directories.push_back(entry.path());
  std::sort(directories.begin(), directories.end());
  std::vector<nlohmann::json> summaries;
  for (const fs::path& directory : directories) {
    std::ifstream in(directory / "summary.json");
    nlohmann::json summary = nlohmann::json::parse(in, nullptr, false);
    if (summary.is_object() && !summary.contains("shard")) summaries.push_back(std::move(summary));
  }
  return summaries;
}

bool write_suite_trends(const fs::path& suite_root) {
  const std::vector<nlohmann::json> summaries = whole_suite_summaries(suite_root);
  return write_file(suite_root / "index.html", [&](std::ostream& out) { write_suite_trends_html(out, summaries); });
}

std::expected<fs::path, std::string> create_suite_run_directory(const fs::path& suite_root, const std::string& started) {
  std::error_code error;
  fs::create_directories(suite_root, error);
  if (error) return std::unexpected("cannot create " + suite_root.string() + ": " + error.message());
  fs::path directory = suite_root / started;
  for (int suffix = 2; !fs::create_directory(directory, error); ++suffix) {
    if (error) return std::unexpected("cannot create " + directory.string() + ": " + error.message());
    directory = suite_root / (started + "-" + std::to_string(suffix));
  }
  return directory;
}

}  // namespace faultline
