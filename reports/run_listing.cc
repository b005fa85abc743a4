#include "run_listing.h"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <tuple>

#include "html_escape.h"
#include "report_script.h"
#include "run_fields.h"

namespace faultline {
namespace {

using nlohmann::json;

constexpr std::size_t timestamp_chars = 15;  // "20261122T132959"

bool is_timestamp(const std::string& run_id) {
  if (run_id.size() < timestamp_chars || run_id[8] != 'T') return false;
  for (std::size_t i = 0; i < timestamp_chars; ++i)
    if (i != 8 && (run_id[i] < '0' || run_id[i] > '9')) return false;
  return true;
}

// "20261122T132959-2" -> ("20261122T132959", 2); the first run of a second has suffix 1.
// Run ids that are not timestamps sort as oldest.
std::tuple<std::string, long> run_order_key(const std::string& run_id) {
  if (!is_timestamp(run_id)) return {"", 0};
  long suffix = 1;
  if (run_id.size() > timestamp_chars + 1 && run_id[timestamp_chars] == '-')
    suffix = std::strtol(run_id.c_str() + timestamp_chars + 1, nullptr, 10);
  return {run_id.substr(0, timestamp_chars), suffix};
}

std::string started_text(const std::string& run_id) {
  if (!is_timestamp(run_id)) return run_id;
  const std::string& t = run_id;
  return t.substr(0, 4) + "-" + t.substr(4, 2) + "-" + t.substr(6, 2) + " " + t.substr(9, 2) + ":" + t.substr(11, 2) + ":" +
         t.substr(13, 2) + " UTC";
}

void write_run_row(std::ostream& out, const RunSummary& run) {
  const std::string directory = percent_encode_segment(run.name) + "/" + percent_encode_segment(run.run_id) + "/";
  auto link = [&](const std::string& file, const std::string& label) {
    return "<a href=\"" + escape_html(directory + file) + "\">" + label + "</a>";
  };
  out << "<tr><td>" << escape_html(run.started) << "</td><td>";
  if (run.has_report) out << link("report.html", escape_html(run.name));
  else out << escape_html(run.name);
  out << "<br><small>" << escape_html(run.run_id) << "</small></td><td><span class=\"verdict " << escape_html(run.verdict)
      << "\">" << escape_html(run.verdict) << "</span>";
  if (run.interrupted) out << " <small>interrupted</small>";
  out << "</td><td>" << escape_html(run.protocol) << "</td><td>" << escape_html(run.nodes) << " / "
      << escape_html(run.read_quorum) << " / " << escape_html(run.write_quorum) << "</td><td>" << escape_html(run.nemesis)
      << "</td><td>" << escape_html(run.workload);
  if (!run.bug.empty()) out << "<br><small>bug: " << escape_html(run.bug) << "</small>";
  out << "</td><td>" << escape_html(run.seed) << "</td><td>";
  if (run.has_report) out << link("report.html", "report") << " · ";
  else out << "no report · ";
  out << link("history.jsonl", "history") << " · " << link("test.json", "test.json") << "</td></tr>\n";
}

}  // namespace

RunSummary summarize_run(const std::string& name, const std::string& run_id, const json& results, const json& test,
                         bool has_report) {
  RunSummary run;
  run.name = name;
  run.run_id = run_id;
  run.started = started_text(run_id);
  run.verdict = results.is_object() ? verdict_name(results.value("valid", json())) : "no results";
  run.interrupted = results.is_object() && results.value("interrupted", json(false)) == json(true);
  run.protocol = test_field_text(test, "protocol");
  run.nodes = test_field_text(test, "nodes");
  run.read_quorum = quorum_text(test, "read_quorum");
  run.write_quorum = quorum_text(test, "write_quorum");
  // Runs say what ran ("etcd 3.4.23"); quorums mean something for the bundled quorum protocol only.
  if (test.is_object() && test.contains("system") && test["system"].is_string()) run.protocol = test["system"];
  if (test.is_object() && test.value("target", "bundled") != "bundled") run.read_quorum = run.write_quorum = "-";
  else if (test.is_object() && test.value("protocol", "paxos") == "paxos") run.read_quorum = run.write_quorum = "majority";
  run.nemesis = test.is_object() ? nemesis_text(test) : "?";
  run.workload = test_field_text(test, "workload");
  run.seed = test_field_text(test, "seed");
  if (test.is_object() && test.contains("bug")) run.bug = field_text(test["bug"]);
  run.has_report = has_report;
  return run;
}

void sort_newest_first(std::vector<RunSummary>& runs) {
  std::stable_sort(runs.begin(), runs.end(), [](const RunSummary& a, const RunSummary& b) {
    const auto key_a = run_order_key(a.run_id), key_b = run_order_key(b.run_id);
    if (key_a != key_b) return key_a > key_b;
    return a.name < b.name;
  });
}

std::string percent_encode_segment(const std::string& segment) {
  std::string out;
  for (unsigned char c : segment) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

void write_run_listing_html(std::ostream& out, const std::vector<RunSummary>& runs, const RunListingContext& context) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>faultline: runs in "
      << escape_html(context.store) << "</title>\n<style>\n" << report_stylesheet() << "\n</style>\n</head><body>\n"
      << "<header><h1>faultline runs</h1>\n<p>Store <code>" << escape_html(context.store) << "</code>: "
      << context.runs_found << (context.runs_found == 1 ? " run" : " runs") << ", newest first.";
  if (context.runs_found > runs.size()) out << " The newest " << runs.size() << " are listed.";
  out << "</p></header>\n";
  if (runs.empty()) {
    out << "<p>No runs yet. <code>faultline test --store " << escape_html(context.store)
        << "</code> adds one.</p>\n</body></html>\n";
    return;
  }
  out << "<table id=\"runs\"><tr><th>started</th><th>run</th><th>verdict</th><th>protocol</th><th>N / R / W</th>"
      << "<th>nemesis</th><th>workload</th><th>seed</th><th>files</th></tr>\n";
  for (const RunSummary& run : runs) write_run_row(out, run);
  out << "</table>\n</body></html>\n";
}

}  // namespace faultline
