#include "fault_label.h"

#include <cmath>
#include <cstdio>
#include <vector>

namespace faultline {
namespace {

using nlohmann::json;

std::string compact(const json& value) { return value.dump(-1, ' ', false, json::error_handler_t::replace); }

// "n1 n2" from ["n1", "n2"]; the value itself when it is not a list of names.
std::string names(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (!value.is_array()) return compact(value);
  std::string text;
  for (const json& name : value) text += (text.empty() ? "" : " ") + (name.is_string() ? name.get<std::string>() : compact(name));
  return text;
}

std::vector<std::string> split(const std::string& text, const std::string& separator) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (std::size_t at = text.find(separator); at != std::string::npos; at = text.find(separator, from)) {
    parts.push_back(text.substr(from, at - from));
    from = at + separator.size();
  }
  parts.push_back(text.substr(from));
  return parts;
}

std::size_t word_count(const std::string& text) { return split(text, " ").size(); }

std::string partition_label(const json& value) {
  if (!value.is_object()) return "network partitioned " + compact(value);
  const std::string kind = value.value("kind", std::string());
  const std::string description = value.value("description", std::string());
  if (kind == "bridge") {  // "bridge n3: n1 n2 | n4 n5"
    const auto head = split(description, ": ");
    const auto sides = split(head.size() == 2 ? head[1] : description, " | ");
    if (head.size() == 2 && sides.size() == 2)
      return sides[0] + " and " + sides[1] + " meet only through " + head[0].substr(std::string("bridge ").size());
  }
  if (kind == "majorities-ring") return "each node sees only a majority around it (ring " +
                                        description.substr(std::min(description.size(), std::string("majorities ring ").size())) + ")";
  if (kind == "one-way") return "one-way cut: " + description.substr(std::min(description.size(), std::string("one-way ").size()));
  const auto sides = split(description, " | ");
  if (sides.size() == 2) {  // the smaller side is the one cut off
    const bool first_smaller = word_count(sides[0]) <= word_count(sides[1]);
    return (first_smaller ? sides[0] : sides[1]) + " cut off from " + (first_smaller ? sides[1] : sides[0]);
  }
  if (!description.empty()) return "network partitioned: " + description;
  std::string links;
  for (const json& link : value.value("cut", json::array()))
    if (link.is_array() && link.size() == 2) links += (links.empty() ? "" : ", ") + names(link[0]) + "→" + names(link[1]);
  return links.empty() ? "network partitioned" : "links cut: " + links;
}

std::string number_text(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", x);
  return text;
}

std::string packet_label(const json& value) {
  if (!value.is_object()) return "slow or lossy network " + compact(value);
  const std::string nodes = names(value.value("nodes", json::array()));
  const std::string on = nodes.empty() ? "" : " at " + nodes;
  if (value.value("behaviour", std::string()) == "delay")
    return "packets delayed " + number_text(value.value("latency_ms", 0.0)) + "±" + number_text(value.value("jitter_ms", 0.0)) +
           " ms" + on;
  if (value.contains("loss_probability"))
    return number_text(std::round(value.value("loss_probability", 0.0) * 1000) / 10) + "% of packets lost" + on;
  return "slow or lossy network" + on;
}

std::string clock_offsets_label(const json& offsets, const std::string& suffix) {
  std::string text;
  for (const auto& [node, offset] : offsets.items())
    text += (text.empty() ? "" : ", ") + node + " clock " + (offset.is_number() ? clock_offset_text(offset.get<double>()) : compact(offset)) + suffix;
  return text;
}

}  // namespace

std::string clock_offset_text(double offset_ms) {
  const char* sign = offset_ms < 0 ? "\u2212" : "+";
  const double magnitude = std::fabs(offset_ms);
  char text[48];
  if (magnitude >= 1000) std::snprintf(text, sizeof text, "%s%.1f s", sign, magnitude / 1000);
  else std::snprintf(text, sizeof text, "%s%.0f ms", sign, magnitude);
  return text;
}

std::string fault_label(const std::string& f, const json& value) {
  if (f == "kill") return names(value) + " killed";
  if (f == "pause") return names(value) + " paused";
  if (f == "power-loss") return names(value) + " lost power";
  if (f == "corrupt" && value.is_object() && !value.empty()) {
    std::string text;
    for (const auto& [node, plan] : value.items()) {
      text += (text.empty() ? "" : ", ") + node + "'s files corrupted";
      const json done = plan.is_object() ? plan.value("done", json()) : json();
      if (done.is_object() && done.contains("path"))
        text += " (" + done.value("path", std::string()) +
                (done.contains("truncated_to") ? " cut to " + compact(done["truncated_to"]) + " of " + compact(done.value("bytes", json())) + " bytes"
                                               : " bits flipped at " + compact(done.value("flipped", json()))) +
                ")";
    }
    return text;
  }
  if (f == "partition" || f == "start-partition") return partition_label(value);
  if (f == "start-packet") return packet_label(value);
  if (f == "clock-bump" && value.is_object() && !value.empty()) return clock_offsets_label(value, "");
  if (f == "clock-strobe" && value.is_object() && value.contains("deltas_ms"))
    return clock_offsets_label(value["deltas_ms"], " (strobing)");
  if (value.is_null()) return f;
  return f + " " + (value.is_array() ? names(value) : compact(value));
}

}  // namespace faultline
