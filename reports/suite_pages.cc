#include "suite_pages.h"

#include <cstdio>
#include <map>
#include <ostream>
#include <string>

#include "html_escape.h"
#include "report_script.h"
#include "run_fields.h"

namespace faultline {

namespace {

using nlohmann::json;

std::string fixed(const json& value, const char* format) {
  if (!value.is_number()) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value.get<double>());
  return buffer;
}

std::string percent(const json& share) {
  if (!share.is_number()) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f%%", 100 * share.get<double>());
  return buffer;
}

// A run directory as a relative link from store/suites/<suite>/<started>/.
std::string report_link(const json& run) {
  return "../../../" + escape_html(field_text(run.value("run_directory", json(""))));
}

const json* find_cell(const json& summary, const std::string& configuration, const std::string& workload,
                      const std::string& nemesis) {
  if (!summary.contains("cells") || !summary.at("cells").is_array()) return nullptr;
  for (const json& cell : summary.at("cells"))  // by reference: the pointer outlives the loop
    if (cell.value("configuration", "") == configuration && cell.value("workload", "") == workload &&
        cell.value("nemesis", "") == nemesis)
      return &cell;
  return nullptr;
}

std::string row_label(const json& row, bool several_workloads) {
  std::string label = escape_html(field_text(row.value("configuration", json(""))));
  if (several_workloads) label += "<br><small>" + escape_html(field_text(row.value("workload", json("")))) + "</small>";
  if (row.contains("target")) label += "<br><small class=\"target\">" + escape_html(field_text(row["target"])) + "</small>";
  return label;
}

bool several_workloads(const json& summary) {
  std::string first;
  for (const json& row : summary.value("rows", json::array())) {
    const std::string workload = row.value("workload", "");
    if (first.empty()) first = workload;
    else if (workload != first) return true;
  }
  return false;
}

constexpr const char* suite_style = R"(
table.matrix td, table.matrix th { vertical-align: top; padding: 6px 8px; }
td.cell.met { background: #eef7ee; } td.cell.missed { background: #fdecea; } td.cell.unknown { background: #fff4e5; }
.expect { font-size: 0.85em; color: #555; } .figures { font-size: 0.85em; line-height: 1.4; }
.trend { display: inline-block; width: 12px; height: 12px; margin-right: 2px; border-radius: 2px; }
.trend.met { background: #2e7d32; } .trend.missed { background: #c62828; } .trend.unknown { background: #ef6c00; }
)";

void write_head(std::ostream& out, const std::string& title) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>" << escape_html(title)
      << "</title>\n<style>\n" << report_stylesheet() << suite_style << "</style>\n</head><body>\n";
}

std::string cell_class(const json& cell) {
  if (cell.value("met", false)) return "met";
  const std::string verdict = cell.value("verdict", "");
  return verdict == "valid" || verdict == "invalid" ? "missed" : "unknown";
}

}  // namespace

void write_suite_matrix_html(std::ostream& out, const json& summary) {
  const std::string suite = field_text(summary.value("suite", json("")));
  write_head(out, "faultline suite " + suite);
  const json counts = summary.value("counts", json::object());
  out << "<header><h1>Suite " << escape_html(suite) << "</h1>\n";
  if (!field_text(summary.value("description", json(""))).empty())
    out << "<p>" << escape_html(field_text(summary["description"])) << "</p>\n";
  out << "<p>Started " << escape_html(field_text(summary.value("started", json("")))) << ", "
      << fixed(summary.value("elapsed_s", json()), "%.0f") << " s. " << field_text(counts.value("runs", json(0))) << " of "
      << field_text(counts.value("planned", json(0))) << " runs: " << field_text(counts.value("met", json(0)))
      << " as expected, " << field_text(counts.value("missed", json(0))) << " not, " << field_text(counts.value("unknown", json(0)))
      << " unknown or failed to run.";
  if (summary.value("interrupted", false)) out << " <strong>Interrupted.</strong>";
  const bool is_shard = summary.contains("shard") && summary["shard"].is_object();
  out << " Exit code " << field_text(summary.value("exit_code", json(""))) << "."
      << (is_shard ? "" : " <a href=\"../index.html\">Trends</a>") << "</p>\n";
  if (is_shard) {
    const json& shard = summary["shard"];
    out << "<p id=\"shard\">Shard " << escape_html(field_text(shard.value("index", json("")))) << " of "
        << escape_html(field_text(shard.value("count", json("")))) << ": " << escape_html(field_text(shard.value("cells", json(""))))
        << " of the suite's " << escape_html(field_text(shard.value("suite_cells", json("")))) << " cells; the others run on "
        << "the other shards, and <code>faultline suite-merge</code> makes the whole matrix.</p>\n";
  }
  if (summary.contains("merged_from") && summary["merged_from"].is_array()) {
    out << "<p id=\"merged\">Merged from " << summary["merged_from"].size() << " shards:";
    for (const json& shard : summary["merged_from"])
      out << " " << escape_html(field_text(shard.value("shard", json("")))) << " on "
          << escape_html(field_text(shard.value("host", json("")))) << " (" << fixed(shard.value("elapsed_s", json()), "%.0f")
          << " s);";
    out << " the time above is the longest shard's.</p>\n";
  }
  out << "</header>\n";
  const bool by_workload = several_workloads(summary);
  out << "<table class=\"matrix\" id=\"matrix\"><tr><th>configuration" << (by_workload ? " / workload" : "") << "</th>";
  const json nemeses = summary.value("nemeses", json::array());
  for (const json& nemesis : nemeses) out << "<th>" << escape_html(field_text(nemesis)) << "</th>";
  out << "</tr>\n";
  for (const json& row : summary.value("rows", json::array())) {
    out << "<tr><th>" << row_label(row, by_workload) << "</th>";
    for (const json& nemesis : nemeses) {
      const json* cell = find_cell(summary, row.value("configuration", ""), row.value("workload", ""), field_text(nemesis));
      if (cell == nullptr) {
        out << "<td class=\"cell\">" << (is_shard ? "on another shard" : "not run") << "</td>";
        continue;
      }
      const json runs = cell->value("runs", json::array());
      const std::string verdict = field_text(cell->value("verdict", json("")));
      out << "<td class=\"cell " << cell_class(*cell) << "\"><span class=\"verdict " << escape_html(verdict) << "\">"
          << escape_html(verdict) << "</span> " << (cell->value("met", false) ? "&#10003;" : "&#10007;")
          << "<div class=\"expect\">expected " << escape_html(field_text(cell->value("expect", json("")))) << "; "
          << field_text(cell->value("invalid_runs", json(0))) << " of " << runs.size() << " runs invalid</div>"
          << "<div class=\"figures\">ok during faults " << percent(cell->value("availability", json()))
          << "<br>p50 " << fixed(cell->value("p50_ms", json()), "%.1f") << " ms, p99 "
          << fixed(cell->value("p99_ms", json()), "%.1f") << " ms<br>" << fixed(cell->value("ok_per_s", json()), "%.0f")
          << " ok/s</div><div>";
      for (const json& run : runs) {
        const std::string run_verdict = field_text(run.value("verdict", json("")));
        out << "<a href=\"" << report_link(run) << "/report.html\" title=\"" << escape_html(field_text(run.value("summary", json(""))))
            << "\">seed " << escape_html(field_text(run.value("seed", json("")))) << "</a> <span class=\"verdict "
            << escape_html(run_verdict) << "\">" << escape_html(run_verdict) << "</span><br>";
      }
      out << "</div></td>";
    }
    out << "</tr>\n";
  }
  out << "</table>\n<h2>Runs that did not meet their expectation</h2>\n<ul id=\"missed\">";
  bool any = false;
  for (const json& cell : summary.value("cells", json::array()))
    for (const json& run : cell.value("runs", json::array()))
      if (!run.value("met", true)) {
        any = true;
        out << "<li><b>" << escape_html(field_text(cell.value("configuration", json("")))) << " / "
            << escape_html(field_text(cell.value("workload", json("")))) << " / " << escape_html(field_text(cell.value("nemesis", json(""))))
            << ", seed " << escape_html(field_text(run.value("seed", json("")))) << "</b>: expected "
            << escape_html(field_text(cell.value("expect", json("")))) << ", got " << escape_html(field_text(run.value("verdict", json(""))))
            << ". " << escape_html(field_text(run.value("summary", json("")))) << " <a href=\"" << report_link(run)
            << "/report.html\">report</a><br><code>" << escape_html(field_text(run.value("reproduce", json("")))) << "</code></li>\n";
      }
  if (!any) out << "<li>None.</li>";
  out << "</ul>\n</body></html>\n";
}

void write_suite_trends_html(std::ostream& out, const std::vector<json>& all) {
  const std::size_t skip = all.size() > suite_trend_runs_max ? all.size() - suite_trend_runs_max : 0;
  const std::vector<json> summaries(all.begin() + static_cast<std::ptrdiff_t>(skip), all.end());
  const std::string suite = summaries.empty() ? "" : field_text(summaries.back().value("suite", json("")));
  write_head(out, "faultline suite " + suite + ": trends");
  out << "<header><h1>Suite " << escape_html(suite) << ": trends</h1>\n<p>" << summaries.size()
      << " suite runs, oldest first; each square is one suite run of that cell: green as expected, red not, "
         "orange unknown. Flake rate: the share of suite runs in which the cell missed its expectation.</p></header>\n";
  // Every cell seen in any summary, in first-seen order.
  std::vector<std::string> keys;
  std::map<std::string, std::vector<const json*>> history;  // key -> one entry per summary (null: not run)
  for (std::size_t i = 0; i < summaries.size(); ++i) {
    if (!summaries[i].contains("cells") || !summaries[i].at("cells").is_array()) continue;
    for (const json& cell : summaries[i].at("cells")) {  // by reference: pointers to it are kept
      const std::string key = field_text(cell.value("configuration", json(""))) + " / " + field_text(cell.value("workload", json(""))) +
                              " / " + field_text(cell.value("nemesis", json("")));
      auto [entry, inserted] = history.try_emplace(key, std::vector<const json*>(summaries.size(), nullptr));
      if (inserted) keys.push_back(key);
      entry->second[i] = &cell;
    }
  }
  out << "<table id=\"trends\"><tr><th>configuration / workload / nemesis</th><th>expected</th><th>history</th>"
         "<th>flake rate</th><th>latest</th></tr>\n";
  for (const std::string& key : keys) {
    const std::vector<const json*>& cells = history[key];
    int ran = 0, missed = 0;
    std::string expect;
    out << "<tr><td>" << escape_html(key) << "</td>";
    std::string squares;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (cells[i] == nullptr) continue;
      ++ran;
      const std::string css = cell_class(*cells[i]);
      missed += css != "met";
      expect = field_text(cells[i]->value("expect", json("")));
      squares += "<a class=\"trend " + css + "\" href=\"" + escape_html(field_text(summaries[i].value("started", json("")))) +
                 "/matrix.html\" title=\"" + escape_html(field_text(summaries[i].value("started", json("")))) + ": " +
                 escape_html(field_text(cells[i]->value("verdict", json("")))) + "\"></a>";
    }
    char rate[32];
    std::snprintf(rate, sizeof rate, "%.0f%%", ran == 0 ? 0.0 : 100.0 * missed / ran);
    const json* latest = cells.back();
    out << "<td>" << escape_html(expect) << "</td><td>" << squares << "</td><td>" << rate << " (" << missed << " of "
        << ran << ")</td><td>"
        << (latest == nullptr ? std::string("not run") : escape_html(field_text(latest->value("verdict", json(""))))) << "</td></tr>\n";
  }
  out << "</table>\n<h2>Suite runs</h2>\n<ul>";
  for (auto it = summaries.rbegin(); it != summaries.rend(); ++it) {
    const std::string started = field_text(it->value("started", json("")));
    out << "<li><a href=\"" << escape_html(started) << "/matrix.html\">" << escape_html(started) << "</a>: exit code "
        << escape_html(field_text(it->value("exit_code", json("")))) << "</li>";
  }
  out << "</ul>\n</body></html>\n";
}

void write_suite_junit_xml(std::ostream& out, const json& summary) {
  const std::string suite = field_text(summary.value("suite", json("")));
  int tests = 0, failures = 0, errors = 0;
  for (const json& cell : summary.value("cells", json::array()))
    for (const json& run : cell.value("runs", json::array())) {
      ++tests;
      if (!run.value("met", false)) {
        const std::string verdict = run.value("verdict", "");
        if (verdict == "valid" || verdict == "invalid") ++failures;
        else ++errors;
      }
    }
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"" << escape_html(suite) << "\" tests=\"" << tests
      << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" time=\""
      << fixed(summary.value("elapsed_s", json(0)), "%.3f") << "\" timestamp=\""
      << escape_html(field_text(summary.value("started", json("")))) << "\">\n";
  for (const json& cell : summary.value("cells", json::array())) {
    const std::string classname = suite + "." + field_text(cell.value("configuration", json(""))) + "." +
                                  field_text(cell.value("workload", json("")));
    for (const json& run : cell.value("runs", json::array())) {
      out << "  <testcase classname=\"" << escape_html(classname) << "\" name=\""
          << escape_html(field_text(cell.value("nemesis", json(""))) + " seed " + field_text(run.value("seed", json("")))) << "\" time=\""
          << fixed(run.value("elapsed_s", json(0)), "%.3f") << "\">";
      if (!run.value("met", false)) {
        const std::string verdict = field_text(run.value("verdict", json("")));
        const bool decided = verdict == "valid" || verdict == "invalid";
        const std::string message =
            "expected " + field_text(cell.value("expect", json(""))) + ", got " + verdict + ": " + field_text(run.value("summary", json("")));
        out << "\n    <" << (decided ? "failure" : "error") << " message=\"" << escape_html(message) << "\" type=\""
            << escape_html(verdict) << "\">" << escape_html(message + "\nreproduce: " + field_text(run.value("reproduce", json(""))) +
                                                            "\nrun: " + field_text(run.value("run_directory", json(""))))
            << "</" << (decided ? "failure" : "error") << ">\n  ";
      }
      out << "</testcase>\n";
    }
  }
  out << "</testsuite>\n";
}

}  // namespace faultline
