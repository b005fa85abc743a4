// The page's own stylesheet and script, as text (inlined by report_html.cc). The script
// reads the JSON in <script id="report-data">, pages through the timeline (a page of
// ops_rendered_per_page ops at a time, so a 100,000-op history stays quick) and draws the
// latency and throughput charts with dygraphs, fault windows shaded. It builds elements with
// textContent, never innerHTML, so values from the history stay text.
#pragma once

#include <string_view>

namespace faultline {

std::string_view report_stylesheet();
std::string_view report_script();

}  // namespace faultline
