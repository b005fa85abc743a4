#include "report_html.h"

#include <cstdio>
#include <map>
#include <optional>
#include <ostream>

#include "anomaly_svg.h"
#include "cycle_svg.h"
#include "results/linearizability_anomaly.h"
#include "results/measurement_results.h"
#include "results/set_result.h"
#include "html_escape.h"
#include "report_limits.h"
#include "report_script.h"

namespace faultline {
namespace {

using nlohmann::json;

std::string text_of(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "—";
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string esc(const json& value) { return escape_html(text_of(value)); }

// A measurement to two decimals ("11.15"); "—" when absent.
std::string decimal_text(const json& value) {
  if (!value.is_number()) return esc(value);
  char text[64];
  std::snprintf(text, sizeof text, "%.2f", value.get<double>());
  return text;
}

// A share as a percentage ("44.4%"); "—" when absent.
std::string percent_text(const json& share) {
  if (!share.is_number()) return esc(share);
  char text[64];
  std::snprintf(text, sizeof text, "%.1f%%", share.get<double>() * 100);
  return text;
}

std::string decimal_text(const std::optional<double>& value) { return decimal_text(value ? json(*value) : json()); }
std::string percent_text(const std::optional<double>& share) { return percent_text(share ? json(*share) : json()); }

// "1.5 s", "3 s": seconds to the millisecond, without trailing zeros.
std::string seconds_text(const json& time_ns) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", time_ns.is_number() ? time_ns.get<double>() / 1e9 : 0.0);
  std::string out = text;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out + " s";
}

// A library's text inside <script>/<style>: no closing tag can end the element early, and
// no source map is requested.
std::string inline_asset(std::string text, const std::string& closing_tag) {
  for (std::size_t at = text.find("sourceMappingURL"); at != std::string::npos; at = text.find("sourceMappingURL"))
    text.replace(at, 16, "sourceMapping_removed");
  const std::string escaped_tag = "<\\/" + closing_tag.substr(2);
  for (std::size_t at = text.find(closing_tag); at != std::string::npos; at = text.find(closing_tag, at + 1))
    text.replace(at, closing_tag.size(), escaped_tag);
  return text;
}

void write_verdict_and_configuration(std::ostream& out, const json& data) {
  const std::string verdict = data["verdict"].get<std::string>();
  out << "<header><h1>" << esc(data["name"]) << " <span class=\"verdict " << escape_html(verdict) << "\">"
      << escape_html(verdict) << "</span></h1>\n";
  if (data.value("interrupted", false)) out << "<p class=\"warning\">This run was interrupted: its history is partial.</p>\n";
  out << "<p>Seed " << esc(data["seed"]) << ", history of " << seconds_text(data["duration_ms"].get<double>() * 1e6)
      << ". Reproduce with:</p>\n<pre class=\"command\">" << esc(data["reproduce"]) << "</pre></header>\n";
  out << "<section id=\"configuration\"><h2>Configuration</h2><table class=\"kv\">\n";
  for (const json& row : data["configuration"]) out << "<tr><th>" << esc(row[0]) << "</th><td>" << esc(row[1]) << "</td></tr>\n";
  out << "</table></section>\n";
}

void write_checkers(std::ostream& out, const json& data) {
  out << "<section id=\"checkers\"><h2>Checkers</h2><table><tr><th>checker</th><th>verdict</th><th>details</th></tr>\n";
  for (const json& checker : data["checkers"]) {
    const std::string verdict = checker["verdict"].get<std::string>();
    out << "<tr><td>" << esc(checker["name"]) << "</td><td><span class=\"verdict " << escape_html(verdict) << "\">"
        << escape_html(verdict) << "</span></td><td>";
    if (checker["details"].contains("reason")) out << esc(checker["details"]["reason"]) << ' ';
    out << "<details><summary>JSON</summary><pre>"
        << escape_html(checker["details"].dump(2, ' ', false, json::error_handler_t::replace)) << "</pre></details></td></tr>\n";
  }
  out << "</table></section>\n";
}

// Which faults were in place while the anomaly's ops ran: often its cause, named in words.
void write_faults_at_anomaly(std::ostream& out, const json& faults) {
  auto fault_text = [](const json& fault) {
    return "<b>" + esc(fault["label"]) + "</b> (" + seconds_text(fault["start_ms"].get<double>() * 1e6) + " to " +
           seconds_text(fault["end_ms"].get<double>() * 1e6) + ")";
  };
  const json during = faults.value("during", json::array());
  out << "<p class=\"faults-at-anomaly\">";
  if (!during.empty()) {
    out << "Faults in place while these ops ran: ";
    for (std::size_t i = 0; i < during.size(); ++i) out << (i ? "; " : "") << fault_text(during[i]);
    out << ".";
  } else if (faults.contains("last_before")) {
    out << "No fault was in place while these ops ran; the last one before them: " << fault_text(faults["last_before"]) << ".";
  } else {
    out << "No fault had been injected before these ops ran.";
  }
  out << "</p>\n";
}

void write_linearizability_anomaly(std::ostream& out, const json& data) {
  const auto anomaly = data["anomaly"].get<LinearizabilityAnomaly>();
  const json& view = data["anomaly_view"];
  const AnomalyOp& op = anomaly.op;
  out << "<h3>Linearizability: key " << esc(json(anomaly.key)) << "</h3>\n<p class=\"explanation\">"
      << esc(json(anomaly.explanation)) << "</p>\n<p>The op that cannot be placed: process " << esc(json(op.process))
      << ", " << esc(json(op.input)) << " (ops " << esc(json(op.invoke_index)) << ".."
      << esc(op.complete_index ? json(*op.complete_index) : json("never completed")) << "), found by the "
      << method_name(anomaly.method) << " method.";
  if (!view["states"].empty()) {
    out << " The states it could follow:";
    for (const json& state : view["states"]) out << " <code>" << esc(state) << "</code>";
  }
  out << "</p>\n";
  write_faults_at_anomaly(out, view.value("faults", json::object()));
  out << "<p><a href=\"#timeline\" id=\"show-anomaly\" data-key=\"" << esc(json(anomaly.key))
      << "\" data-index=\"" << esc(json(op.invoke_index)) << "\">Show these ops in the timeline</a> (key "
      << esc(json(anomaly.key)) << " only, the anomaly's ops outlined).</p>\n"
      << "<p class=\"legend\"><span class=\"key blocked\">cannot be placed</span>"
      << "<span class=\"key linearized\">#n linearized order</span>";
  if (view["method"] == "overwrite")
    out << "<span class=\"key setter\">setter</span><span class=\"key overwriter\">overwriter</span>";
  out << "<span class=\"key concurrent\">concurrent</span><span class=\"key nearby\">nearby, same key</span>"
      << "<span class=\"key fault\">fault window</span></p>\n<div class=\"scroll\">";
  write_anomaly_svg(out, view, data["faults"]);
  out << "</div>\n";
  const std::size_t linearized_count = anomaly.linearized_count;
  if (anomaly.method == LinearizabilityAnomaly::Method::overwrite) return;  // no search: no linearized order to show
  if (linearized_count == 0) {
    out << "<p>No op of this key could be linearized before it.</p>\n";
    return;
  }
  std::size_t orders_shown = 0;
  for (const json& o : view["ops"]) orders_shown += o["order"].is_null() ? 0 : 1;
  out << "<details><summary>The linearized order before it: " << linearized_count << " ops"
      << (orders_shown == linearized_count ? std::string() : ", the last " + std::to_string(orders_shown) + " shown")
      << "</summary><table><tr><th>#</th><th>process</th><th>op</th><th>index</th><th>state after</th></tr>\n";
  for (const json& o : view["ops"]) {
    if (o["order"].is_null()) continue;
    out << "<tr><td>" << esc(o["order"]) << "</td><td>" << esc(o["process"]) << "</td><td>" << esc(o["label"]) << "</td><td>"
        << esc(o["invoke_index"]) << "</td><td>" << esc(o.value("state_after", json(""))) << "</td></tr>\n";
  }
  out << "</table></details>\n";
}

std::string read_text(const SetReadRef& read) {
  return "read " + std::to_string(read.read_index) + " at " + seconds_text(read.time_ns);
}

// One row per element: the element, its add, when it was last seen (or first seen), and the
// read that missed it (or how often one read held it).
void write_element_row(std::ostream& out, const SetAddedElement& e) {
  out << "<tr><td>" << e.element << "</td><td>" << esc(e.add.type) << ", op " << e.add.invoke_index << " at "
      << seconds_text(e.add.invoke_time_ns) << "</td><td>" << (e.last_seen ? read_text(*e.last_seen) : "") << "</td><td>"
      << (e.absent_in ? read_text(*e.absent_in) : "") << "</td></tr>\n";
}

void write_element_row(std::ostream& out, const SetUnexpectedElement& e) {
  out << "<tr><td>" << e.element << "</td><td></td><td>" << read_text(e.first_seen) << "</td><td></td></tr>\n";
}

void write_element_row(std::ostream& out, const SetDuplicatedElement& e) {
  out << "<tr><td>" << e.element << "</td><td></td><td></td><td>seen " << e.count << " times in read " << e.read_index
      << "</td></tr>\n";
}

template <typename Element>
void write_set_listing(std::ostream& out, const char* name, const SetListing<Element>& listing) {
  if (listing.listed.empty()) return;
  out << "<h4>" << name << " (" << listing.count << ")</h4>\n";
  if (listing.count > listing.listed.size())
    out << "<p>The first " << listing.listed.size() << " are listed (the set checker lists no more); the count is complete.</p>\n";
  out << "<table><tr><th>element</th><th>written</th><th>last seen</th><th>missing from</th></tr>\n";
  for (const Element& e : listing.listed) write_element_row(out, e);
  out << "</table>\n";
}

void write_set_anomalies(std::ostream& out, const SetResult& set) {
  out << "<h3>Set</h3>\n";
  write_set_listing(out, "lost", set.lost);
  write_set_listing(out, "unexpected", set.unexpected);
  write_set_listing(out, "duplicated", set.duplicated);
  write_set_listing(out, "failed_but_present", set.failed_but_present);
  write_set_listing(out, "late", set.late);
  write_set_listing(out, "recovered", set.recovered);
}

// What an anomaly class means, in a sentence, for a reader who has never read Adya.
std::string anomaly_class_text(const std::string& name) {
  static const std::map<std::string, std::string> texts = {
      {"G0", "Write cycle: two or more transactions overwrote each other's writes in orders that contradict each other."},
      {"G1a", "Aborted read: a transaction saw a write of a transaction that failed."},
      {"G1b", "Intermediate read: a transaction saw a value another transaction had not finished writing."},
      {"G1c", "Circular information flow: transactions saw each other's writes (or overwrote them) in a cycle."},
      {"G-single-item", "Read skew: a cycle with exactly one anti-dependency (a transaction missed a write that the "
                        "rest of the cycle shows came before it)."},
      {"G-nonadjacent-item", "A cycle of anti-dependencies, no two of them adjacent: forbidden by snapshot isolation."},
      {"G2-item", "Write skew: a cycle with anti-dependencies, as when two transactions each miss the other's write."},
      {"internal", "A transaction's read disagreed with its own earlier reads or writes of the key."},
      {"incompatible-order", "Two reads of one key saw orders of its appends that cannot both be true."},
      {"lost-update", "Transactions read the same version of a key and all wrote it: all but one update was lost."},
      {"dirty-update", "A transaction wrote on top of a write of a transaction that failed."},
      {"duplicate-elements", "A read saw one appended element twice."},
      {"garbage-read", "A read saw a value that no transaction wrote."},
  };
  std::string base = name;
  std::string order;
  for (const char* suffix : {"-realtime", "-process"}) {
    const std::string tail = suffix;
    if (base.size() > tail.size() && base.ends_with(tail)) {
      base.resize(base.size() - tail.size());
      order = tail == "-realtime" ? " The cycle needs real-time order: a transaction that finished before another began precedes it."
                                  : " The cycle needs each process's own order of transactions.";
    }
  }
  const auto found = texts.find(base);
  return (found == texts.end() ? std::string() : found->second) + order;
}

void write_transaction_cycle(std::ostream& out, const json& cycle, const std::string& id) {
  out << "<div class=\"scroll\">";
  write_cycle_svg(out, cycle, id);
  out << "</div>\n<ol class=\"cycle-steps\">";
  for (const json& step : cycle["steps"]) out << "<li>" << esc(step.value("explanation", json(""))) << "</li>";
  out << "</ol>\n";
  if (cycle.contains("faults")) write_faults_at_anomaly(out, cycle["faults"]);
  json indices = json::array();
  for (const json& txn : cycle["txns"]) indices.push_back(txn["invoke_index"]);
  out << "<p><a href=\"#timeline\" class=\"show-cycle\" data-indices=\"" << escape_html(indices.dump())
      << "\">Show these transactions in the timeline</a> (all keys, the cycle's transactions outlined).</p>\n";
}

void write_transaction_anomalies(std::ostream& out, const json& transactions) {
  out << "<h3>Transactions (" << esc(transactions["checker"]) << " checker)</h3>\n";
  std::size_t drawn = 0;
  for (const json& entry : transactions["classes"]) {
    const std::string name = entry["name"].get<std::string>();
    out << "<h4>" << escape_html(name) << ": " << entry["count"].get<std::size_t>() << " found</h4>\n";
    if (const std::string text = anomaly_class_text(name); !text.empty()) out << "<p>" << escape_html(text) << "</p>\n";
    for (const json& cycle : entry["cycles"]) write_transaction_cycle(out, cycle, "c" + std::to_string(drawn++));
    if (!entry["others"].empty()) {
      out << "<ul>";
      for (const json& other : entry["others"])
        out << "<li><code>" << escape_html(other.dump(-1, ' ', false, json::error_handler_t::replace)) << "</code></li>";
      out << "</ul>\n";
    }
    const std::size_t shown = entry["cycles"].size() + entry["others"].size();
    if (entry["count"].get<std::size_t>() > shown)
      out << "<p>The first " << shown << " are shown; results.json lists them all.</p>\n";
  }
}

void write_anomalies(std::ostream& out, const json& data) {
  out << "<section id=\"anomaly\"><h2>The anomaly, explained</h2>\n";
  const bool has_set_findings = data.contains("set") && data["set"].value("valid", json(true)) != json(true);
  if (!data.contains("anomaly") && !has_set_findings && !data.contains("transactions"))
    out << "<p>No checker found an anomaly.</p>\n";
  if (data.contains("anomaly")) write_linearizability_anomaly(out, data);
  if (data.contains("transactions")) write_transaction_anomalies(out, data["transactions"]);
  if (data.contains("set")) {
    write_set_anomalies(out, data["set"].get<SetResult>());
    if (data.contains("set_faults")) {
      out << "<p>Between the add of the first lost element and the read that missed it:</p>\n";
      write_faults_at_anomaly(out, data["set_faults"]);
    }
  }
  out << "</section>\n";
}

void write_measurements(std::ostream& out, const json& data, const ReportAssets& assets) {
  out << "<section id=\"charts\"><h2>Latency and throughput</h2>\n";
  if (!assets.dygraphs_js)
    out << "<p class=\"warning\">Charts unavailable: the charting library dygraphs was not found at "
        << escape_html(assets.dygraphs_js_path) << " when this report was generated (Debian package libjs-dygraphs). "
        << "Everything else in this report is complete.</p>\n";
  out << "<p>Latency of each client op (ms, log scale) by when it was invoked; shaded: fault windows.</p>"
      << "<div id=\"latency-chart\" class=\"chart\"></div>\n<p>Completed ops per second.</p>"
      << "<div id=\"throughput-chart\" class=\"chart\"></div>\n";
  if (data.contains("latency")) {
    out << "<h3>Latency quantiles (ok ops)</h3><table><tr><th>f</th><th>ok</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th></tr>\n";
    const auto latency = data["latency"].get<LatencyResult>();
    auto row = [&](const std::string& f, const LatencySummary& q) {
      out << "<tr><td>" << escape_html(f) << "</td><td>" << q.ok_count << "</td><td>" << decimal_text(q.p50_ms) << "</td><td>"
          << decimal_text(q.p90_ms) << "</td><td>" << decimal_text(q.p99_ms) << "</td><td>" << decimal_text(q.max_ms)
          << "</td></tr>\n";
    };
    if (data["latency"].contains("all")) row("(all)", latency.all);
    for (const auto& [f, q] : latency.by_f) row(f, q);
    out << "</table>\n";
  }
  out << "</section>\n<section id=\"availability\"><h2>Availability per fault window</h2>\n";
  if (data["faults"].empty()) out << "<p>No fault windows.</p>\n";
  else out << "<p>Answered: ok, or a definite answer that was not ok (a failed compare, a lock held by another): the "
              "system working. Refusals (no leader, unavailable), unreachable nodes and timeouts are not answers.</p>\n"
           << "<table><tr><th>fault</th><th>what</th><th>from</th><th>to</th><th>ops</th><th>ok</th><th>fail</th><th>info</th>"
              "<th>answered</th><th>ok share</th></tr>\n";
  // The fault in words; its raw value (what the nemesis recorded) on hover.
  for (const json& fault : data["faults"]) {
    const json ops = fault["ops"];
    out << "<tr><td>" << esc(fault["kind"]) << "</td><td title=\"" << esc(fault["value"]) << "\">" << esc(fault["label"]) << "</td><td>" << seconds_text(fault["start_ms"].get<double>() * 1e6)
        << "</td><td>" << seconds_text(fault["end_ms"].get<double>() * 1e6) << "</td><td>" << esc(ops.value("count", json())) << "</td><td>"
        << esc(ops.value("ok_count", json())) << "</td><td>" << esc(ops.value("fail_count", json())) << "</td><td>"
        << esc(ops.value("info_count", json())) << "</td><td>" << percent_text(ops.value("answered_share", json()))
        << "</td><td>" << percent_text(ops.value("ok_share", json())) << "</td></tr>\n";
  }
  if (!data["faults"].empty()) out << "</table>\n";
  if (data.contains("availability")) {
    const auto availability = data["availability"].get<AvailabilityResult>();
    for (const auto& [side, totals] : {std::pair{"inside", availability.inside}, std::pair{"outside", availability.outside}})
      out << "<p>" << side << " fault windows: " << totals.count << " ops, answered " << percent_text(totals.answered_share())
          << ", ok share " << percent_text(totals.ok_share()) << "</p>\n";
  }
  out << "</section>\n";
}

void write_timeline_and_links(std::ostream& out, const json& data) {
  out << "<section id=\"timeline\"><h2>Timeline</h2>\n<p>Every op, one lane per process (and the node it talked to); "
      << ops_rendered_per_page << " ops per page. Bars: green ok, red fail, amber info (dashed: never completed); "
      << "shaded and named: fault windows; outlined: the anomaly's ops. Time in seconds since the run began. "
      << "Hover a bar for the op.</p>\n"
      << "<div class=\"controls\"><button id=\"timeline-first\" title=\"first page\">|◀</button><button id=\"timeline-prev\" title=\"previous page\">◀</button>"
      << "<span id=\"timeline-page\"></span><button id=\"timeline-next\" title=\"next page\">▶</button><button id=\"timeline-last\" title=\"last page\">▶|</button>"
      << " <button id=\"timeline-zoom-in\" title=\"fewer ops a page: a shorter stretch of time\">zoom in</button>"
      << "<button id=\"timeline-zoom-out\" title=\"more ops a page\">zoom out</button>"
      << " <label>key <select id=\"timeline-key\"><option value=\"-1\">all keys</option></select></label>"
      << " <label>go to op index <input id=\"timeline-goto\" type=\"number\" min=\"0\"></label></div>\n"
      << "<div id=\"timeline-view\" class=\"scroll\"><noscript>The timeline needs JavaScript.</noscript></div></section>\n";
  out << "<section id=\"files\"><h2>Files of this run</h2><ul>\n";
  for (const json& link : data["links"]) out << "<li><a href=\"" << esc(link) << "\">" << esc(link) << "</a></li>\n";
  out << "</ul></section>\n";
}

}  // namespace

void write_report_html(std::ostream& out, const json& data, const ReportAssets& assets) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>faultline: " << esc(data["name"]) << " ("
      << esc(data["verdict"]) << ")</title>\n<style>\n" << report_stylesheet() << "\n</style>\n";
  if (assets.dygraphs_css) out << "<style>\n" << inline_asset(*assets.dygraphs_css, "</style") << "\n</style>\n";
  out << "</head><body>\n";
  write_verdict_and_configuration(out, data);
  write_checkers(out, data);
  write_anomalies(out, data);
  write_timeline_and_links(out, data);
  write_measurements(out, data, assets);
  // The data the script draws from: only what it needs, the rest is in the markup above.
  json page_data = {{"timeline", data["timeline"]}, {"faults", data["faults"]},
                    {"throughput", data["throughput"]}, {"ops_rendered_per_page", ops_rendered_per_page}};
  if (data.contains("anomaly_view")) {  // the anomaly's ops by invoke index, to outline in the timeline
    json roles = json::object();
    for (const json& op : data["anomaly_view"]["ops"])
      if (op["role"] != "nearby") roles[op["invoke_index"].dump()] = op["role"];
    page_data["anomaly"] = {{"key", data["anomaly_view"]["key"]}, {"roles", roles}};
  }
  out << "<script type=\"application/json\" id=\"report-data\">" << json_for_script(page_data) << "</script>\n";
  if (assets.dygraphs_js) out << "<script>\n" << inline_asset(*assets.dygraphs_js, "</script") << "\n</script>\n";
  out << "<script>\n" << report_script() << "\n</script>\n</body></html>\n";
}

}  // namespace faultline
