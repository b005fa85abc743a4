#include "report_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "history/history_format.h"
#include "report_data.h"
#include "report_html.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Expected<json> read_json_object(const fs::path& path) {
  auto text = read_text(path);
  if (!text) return std::unexpected(InputError{path.string(), 0, "", "cannot open (is this a run directory?)"});
  json value = json::parse(*text, nullptr, false);
  if (value.is_discarded()) return std::unexpected(InputError{path.string(), 0, "", "not valid JSON"});
  if (!value.is_object()) return std::unexpected(InputError{path.string(), 0, "", "expected a JSON object"});
  return value;
}

std::vector<std::string> node_log_names(const fs::path& nodes_directory) {
  std::vector<std::string> names;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(nodes_directory, error))
    if (entry.path().extension() == ".log") names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

Expected<fs::path> write_report(const fs::path& run_dir, const fs::path& dygraphs_directory) {
  auto results = read_json_object(run_dir / "results.json");
  if (!results) return std::unexpected(results.error());
  auto test = read_json_object(run_dir / "test.json");
  if (!test) return std::unexpected(test.error());
  auto history = read_history_file((run_dir / "history.jsonl").string(), HistoryFormat::jsonl);
  if (!history) return std::unexpected(history.error());

  ReportAssets assets;
  assets.dygraphs_js_path = (dygraphs_directory / "dygraph.min.js").string();
  assets.dygraphs_js = read_text(dygraphs_directory / "dygraph.min.js");
  assets.dygraphs_css = read_text(dygraphs_directory / "dygraph.min.css");

  const json data = build_report_data(*history, *results, *test, node_log_names(run_dir / "nodes"));
  const fs::path report_path = run_dir / "report.html";
  const fs::path temporary_path = run_dir / "report.html.partial";
  {
    std::ofstream out(temporary_path, std::ios::binary | std::ios::trunc);
    if (!out) return std::unexpected(InputError{temporary_path.string(), 0, "", "cannot be written"});
    write_report_html(out, data, assets);
    out.flush();
    if (!out) return std::unexpected(InputError{temporary_path.string(), 0, "", "writing failed (disk full?)"});
  }
  std::error_code error;
  fs::rename(temporary_path, report_path, error);
  if (error) return std::unexpected(InputError{report_path.string(), 0, "", "cannot be written: " + error.message()});
  return report_path;
}

}  // namespace faultline
