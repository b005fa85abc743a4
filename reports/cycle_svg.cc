#include "cycle_svg.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <ostream>

#include "html_escape.h"

namespace faultline {
namespace {

using nlohmann::json;

constexpr double box_width_px = 190;
constexpr double box_height_px = 44;
constexpr double margin_px = 40;
constexpr double label_char_width_px = 6.2;  // of the 11px font, roughly
constexpr double edge_bulge = 0.12;          // control point offset, a share of the chord
constexpr double pair_bulge = 0.3;           // the same, for the two edges of a cycle of two
constexpr double end_gap_px = 4;             // arrows stop this far from a box's edge

struct Point {
  double x = 0, y = 0;
};

// Where the way from a box's centre towards `to` leaves the box, `end_gap_px` beyond its edge.
Point leaving_box(Point centre, Point to) {
  const double dx = to.x - centre.x, dy = to.y - centre.y, length = std::max(1.0, std::hypot(dx, dy));
  const double to_edge = std::min(dx == 0 ? 1e9 : box_width_px / 2 / std::abs(dx), dy == 0 ? 1e9 : box_height_px / 2 / std::abs(dy));
  const double distance = to_edge * length + end_gap_px;
  return {centre.x + dx / length * distance, centre.y + dy / length * distance};
}

std::string fitted(const std::string& text, double width_px) {
  const std::size_t fits = static_cast<std::size_t>(std::max(0.0, width_px / label_char_width_px));
  if (text.size() <= fits) return text;
  if (fits < 2) return "";
  std::size_t cut = fits - 1;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\u2026";
}

std::string value_text(const json& value) {
  if (!value.is_array()) return value.dump();
  std::string text = "[";
  for (std::size_t i = 0; i < value.size(); ++i) text += (i ? " " : "") + value[i].dump();
  return text + "]";
}

// "ww", "wr", "rw" keep their names; anything else (realtime, process) is an order edge.
std::string edge_class(const std::string& type) {
  if (type == "ww" || type == "wr" || type == "rw") return type;
  return "ordering";
}

}  // namespace

std::string micro_ops_text(const json& micro_ops, bool reads_known) {
  if (!micro_ops.is_array()) return micro_ops.dump();
  std::string text;
  for (const json& op : micro_ops) {
    if (!text.empty()) text += ", ";
    if (!op.is_array() || op.size() != 3) {
      text += op.dump();
      continue;
    }
    const std::string f = op[0].is_string() ? op[0].get<std::string>() : op[0].dump();
    text += f + " " + op[1].dump();
    if (f == "r") text += op[2].is_null() ? (reads_known ? " \u2192 nil" : "") : " \u2192 " + value_text(op[2]);
    else text += " " + value_text(op[2]);
  }
  return text;
}

void write_cycle_svg(std::ostream& out, const json& cycle, const std::string& id) {
  const json& txns = cycle["txns"];
  const std::size_t n = txns.size();
  if (n == 0) return;
  // Boxes on an ellipse, wide enough that neighbours do not touch; two face each other.
  const double count = static_cast<double>(n);
  const double radius_x = n == 1 ? 0 : std::max(box_width_px * 1.2, count * 60);
  const double radius_y = n == 1 ? 0 : std::max(box_height_px * 2.2, count * 30);
  const double width = 2 * radius_x + box_width_px + 2 * margin_px, height = 2 * radius_y + box_height_px + 2 * margin_px;
  const Point centre{width / 2, height / 2};
  std::vector<Point> at(n);
  std::map<std::int64_t, std::size_t> place;  // transaction index -> box
  for (std::size_t i = 0; i < n; ++i) {
    const double angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * static_cast<double>(i) / static_cast<double>(n);
    at[i] = {centre.x + radius_x * std::cos(angle), centre.y + radius_y * std::sin(angle)};
    place[txns[i]["index"].get<std::int64_t>()] = i;
  }
  out << "<svg class=\"cycle\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << ' '
      << height << "\" role=\"img\" aria-label=\"a cycle of " << n << " transactions\">\n<defs><marker id=\"arrow-"
      << escape_html(id) << "\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" "
      << "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>\n";
  for (const json& step : cycle["steps"]) {
    const auto from = place.find(step.value("from", json(-1)).get<std::int64_t>());
    const auto to = place.find(step.value("to", json(-1)).get<std::int64_t>());
    if (from == place.end() || to == place.end()) continue;
    const Point a = at[from->second], b = at[to->second];
    // Bend outwards, away from the middle of the ellipse; a pair (a cycle of two) bends to the
    // right of the direction of travel, so that its two edges do not overlap.
    const double dx = b.x - a.x, dy = b.y - a.y;
    const Point chord_middle{(a.x + b.x) / 2, (a.y + b.y) / 2};
    double side = 1;  // +1: right of travel (in screen coordinates)
    if (n > 2) {
      const double right_x = -dy, right_y = dx;
      side = (chord_middle.x - centre.x) * right_x + (chord_middle.y - centre.y) * right_y >= 0 ? 1 : -1;
    }
    const double bulge = n == 2 ? pair_bulge : edge_bulge;
    const Point control{chord_middle.x - dy * bulge * side, chord_middle.y + dx * bulge * side};
    const Point start = leaving_box(a, control), end = leaving_box(b, control);
    const Point middle{0.25 * start.x + 0.5 * control.x + 0.25 * end.x, 0.25 * start.y + 0.5 * control.y + 0.25 * end.y};
    const std::string type = step.value("type", std::string("?"));
    out << "<g class=\"edge " << edge_class(type) << "\"><path d=\"M" << start.x << ',' << start.y << " Q" << control.x
        << ',' << control.y << ' ' << end.x << ',' << end.y << "\" marker-end=\"url(#arrow-" << escape_html(id)
        << ")\"/><text x=\"" << middle.x << "\" y=\"" << middle.y + 4 << "\" text-anchor=\"middle\">" << escape_html(type)
        << "</text><title>" << escape_html(step.value("explanation", std::string())) << "</title></g>\n";
  }
  for (std::size_t i = 0; i < n; ++i) {
    const json& txn = txns[i];
    const std::string heading = txn.value("label", std::string("T")) + " \u00b7 process " + txn["process"].dump() + " \u00b7 " +
                                txn.value("type", std::string("?"));
    const std::string ops = micro_ops_text(txn["value"], txn.value("type", std::string()) == "ok");
    const double x = at[i].x - box_width_px / 2, y = at[i].y - box_height_px / 2;
    out << "<g class=\"txn " << escape_html(txn.value("type", std::string())) << "\"><rect x=\"" << x << "\" y=\"" << y
        << "\" width=\"" << box_width_px << "\" height=\"" << box_height_px << "\" rx=\"4\"/><text x=\"" << x + 6
        << "\" y=\"" << y + 17 << "\" class=\"txn-label\">" << escape_html(fitted(heading, box_width_px - 12))
        << "</text><text x=\"" << x + 6 << "\" y=\"" << y + 34 << "\">" << escape_html(fitted(ops, box_width_px - 12))
        << "</text><title>" << escape_html(heading + " (op " + txn["index"].dump() + "): " + ops) << "</title></g>\n";
  }
  out << "</svg>\n";
}

}  // namespace faultline
