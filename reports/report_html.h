// Step (b) of rendering a report (STYLE principle 11): the page, written to a stream from
// the report data of step (a). No disk: the charting library comes in as text.
//
// The page is self-contained: its styles, its script, dygraphs and the data are inline, and
// links point only at files of the run directory (relative). Every value from the data is
// escaped (escape_html in the markup, json_for_script inside <script>).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline {

// dygraphs' script and stylesheet, read when the report is generated. When the script is
// missing, the page says so where the charts would be, and shows everything else.
struct ReportAssets {
  std::optional<std::string> dygraphs_js;
  std::optional<std::string> dygraphs_css;
  std::string dygraphs_js_path;  // where it was looked for, for the message
};

void write_report_html(std::ostream& out, const nlohmann::json& data, const ReportAssets& assets);

}  // namespace faultline
