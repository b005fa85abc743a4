#include "anomaly_svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>
#include <vector>

#include "history/op.h"
#include "html_escape.h"

namespace faultline {
namespace {

using nlohmann::json;

constexpr int diagram_width_px = 960;
constexpr int lane_label_width_px = 90;
constexpr int lane_height_px = 46;
constexpr int bar_height_px = 22;
constexpr int axis_height_px = 30;
constexpr int right_margin_px = 20;
constexpr double label_char_width_px = 6.2;  // of the 11px label font, roughly

// `label` cut to what fits in `width_px`; empty when not even two characters do.
std::string fitted_label(const std::string& label, double width_px) {
  const std::size_t fits = static_cast<std::size_t>(std::max(0.0, (width_px - 6) / label_char_width_px));
  if (label.size() <= fits) return label;
  if (fits < 2) return "";
  std::size_t cut = fits - 1;
  while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
  return label.substr(0, cut) + "…";
}

// Time since the run began, as precise as the axis step needs: "12.5 s", "12.503 s".
std::string tick_text(double ns, double step_ns) {
  const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step_ns / 1e9) - 1e-9)), 0, 6);
  char text[64];
  std::snprintf(text, sizeof text, "%.*f s", decimals, ns / 1e9);
  return text;
}

// A round step (1, 2 or 5 times a power of ten) that puts at most `ticks_max` ticks on `span`.
double tick_step(double span, int ticks_max) {
  const double raw = span / ticks_max;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * power >= raw) return m * power;
  return 10 * power;
}

// "process 3 · n1": the process and the node its client talked to, when the history says.
std::string process_label(const json& process, const json& process_nodes) {
  if (!process.is_number()) return process.is_string() ? process.get<std::string>() : "?";
  if (process.get<std::int64_t>() == nemesis_process) return "nemesis";
  const std::string node = process_nodes.value(process.dump(), std::string());
  return "process " + process.dump() + (node.empty() ? "" : " \u00b7 " + node);
}

}  // namespace

void write_anomaly_svg(std::ostream& out, const json& view, const json& faults) {
  const json& ops = view["ops"];
  const json& processes = view["processes"];
  const double begin = view["time_begin_ns"].get<double>(), end = view["time_end_ns"].get<double>();
  const double span = std::max(1.0, end - begin) * 1.1;  // room on the right for ops never completed
  const double plot_width = diagram_width_px - lane_label_width_px - right_margin_px;
  auto x_of = [&](double t) { return lane_label_width_px + (t - begin + span * 0.02) / (span * 1.02) * plot_width; };
  std::map<std::int64_t, std::size_t> lane_of;
  for (std::size_t i = 0; i < processes.size(); ++i) lane_of[processes[i].get<std::int64_t>()] = i;
  const int height = static_cast<int>(processes.size()) * lane_height_px + axis_height_px;

  out << "<svg class=\"anomaly\" width=\"" << diagram_width_px << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << diagram_width_px << ' ' << height << "\" role=\"img\" aria-label=\"operations around the anomaly\">\n";
  for (const json& fault : faults) {
    const double start_ns = fault["start_ms"].get<double>() * 1e6, end_ns = fault["end_ms"].get<double>() * 1e6;
    if (end_ns < begin || start_ns > begin + span) continue;
    const double x0 = x_of(std::max(start_ns, begin - span * 0.02)), x1 = x_of(std::min(end_ns, begin + span));
    out << "<rect class=\"fault\" x=\"" << x0 << "\" y=\"0\" width=\"" << std::max(1.0, x1 - x0) << "\" height=\""
        << height - axis_height_px << "\"><title>" << escape_html(fault["label"].get<std::string>())
        << "</title></rect><text class=\"fault-label\" x=\"" << x0 + 2 << "\" y=\"" << height - axis_height_px - 4 << "\">"
        << escape_html(fitted_label(fault["label"].get<std::string>(), std::max(x1 - x0, 160.0))) << "</text>\n";
  }
  for (std::size_t i = 0; i < processes.size(); ++i) {
    const int y = static_cast<int>(i) * lane_height_px;
    out << "<line class=\"lane\" x1=\"" << lane_label_width_px << "\" y1=\"" << y + lane_height_px / 2 << "\" x2=\""
        << diagram_width_px - right_margin_px << "\" y2=\"" << y + lane_height_px / 2 << "\"/>"
        << "<text class=\"lane-label\" x=\"4\" y=\"" << y + lane_height_px / 2 + 4 << "\">"
        << escape_html(process_label(processes[i], view.value("process_nodes", json::object()))) << "</text>\n";
  }
  // Bars, then the linearized order over them.
  std::vector<std::pair<std::int64_t, std::pair<double, double>>> order_points;
  for (const json& op : ops) {
    const std::int64_t process = op["process"].is_number() ? op["process"].get<std::int64_t>() : nemesis_process;
    const int y = static_cast<int>(lane_of[process]) * lane_height_px + (lane_height_px - bar_height_px) / 2;
    const double start = op["start_ns"].get<double>();
    const bool completed = !op["end_ns"].is_null();
    const double stop = completed ? op["end_ns"].get<double>() : begin + span;
    // An op that began before the window (one never completed) starts at its left edge.
    const double x0 = x_of(std::max(start, begin - span * 0.02)), x1 = std::max(x0 + 3, x_of(std::min(stop, begin + span)));
    const std::string role = op["role"].get<std::string>();
    std::string label = op["label"].get<std::string>();
    if (!op["order"].is_null()) label = "#" + op["order"].dump() + " " + label;
    std::string title = label + " (op " + op["invoke_index"].dump() + ", " + op["type"].get<std::string>() + ", " + role;
    if (op.contains("state_after")) title += ", state after: " + op["state_after"].get<std::string>();
    title += ")";
    out << "<g class=\"op " << escape_html(role) << (completed ? "" : " open") << "\" data-index=\""
        << op["invoke_index"].dump() << "\"><title>" << escape_html(title) << "</title>"
        << "<rect x=\"" << x0 << "\" y=\"" << y << "\" width=\"" << x1 - x0 << "\" height=\"" << bar_height_px << "\" rx=\"3\"/>"
        << "<text x=\"" << x0 + 3 << "\" y=\"" << y + bar_height_px - 7 << "\">" << escape_html(fitted_label(label, x1 - x0)) << "</text>";
    // The ops the explanation names keep their label in full, above the bar, when it does not fit.
    if (role != "concurrent" && role != "nearby" && role != "linearized" && fitted_label(label, x1 - x0) != label)
      out << "<text class=\"callout\" x=\"" << x0 << "\" y=\"" << y - 2 << "\">" << escape_html(label) << "</text>";
    out << "</g>\n";
    if (!op["order"].is_null())
      order_points.push_back({op["order"].get<std::int64_t>(), {(x0 + x1) / 2, y + bar_height_px / 2.0}});
  }
  std::sort(order_points.begin(), order_points.end());
  if (order_points.size() > 1) {
    out << "<polyline class=\"order\" points=\"";
    for (const auto& [order, point] : order_points) out << point.first << ',' << point.second << ' ';
    out << "\"/>\n";
  }
  for (const auto& [order, point] : order_points)
    out << "<circle class=\"order-dot\" cx=\"" << point.first << "\" cy=\"" << point.second << "\" r=\"3\"/>\n";
  // The time axis: round ticks, in seconds since the run began.
  const int axis_y = height - axis_height_px + 14;
  const double step = tick_step(span, 6);
  for (double t = std::ceil((begin - span * 0.02) / step) * step; t <= begin + span; t += step) {
    const double x = x_of(t);
    out << "<line class=\"tick\" x1=\"" << x << "\" y1=\"" << height - axis_height_px << "\" x2=\"" << x << "\" y2=\""
        << height - axis_height_px + 4 << "\"/><text class=\"axis\" text-anchor=\"middle\" x=\"" << x << "\" y=\"" << axis_y
        << "\">" << tick_text(t, step) << "</text>\n";
  }
  out << "</svg>\n";
}

}  // namespace faultline
