#include "anomaly_classes.h"

namespace faultline {

std::set<std::string> anomaly_classes(const nlohmann::json& results) {
  std::set<std::string> classes;
  if (!results.is_object() || !results.contains("checkers") || !results["checkers"].is_object()) return classes;
  for (const auto& [checker, details] : results["checkers"].items()) {
    if (!details.is_object() || details.value("valid", nlohmann::json(nullptr)) != false) continue;
    std::size_t refined = 0;
    if (details.contains("anomaly-types") && details["anomaly-types"].is_array())
      for (const nlohmann::json& type : details["anomaly-types"])
        if (type.is_string()) refined += classes.insert(checker + ": " + type.get<std::string>()).second;
    for (const char* kind : {"lost", "unexpected", "duplicated", "failed_but_present"})
      if (details.value(std::string(kind) + "_count", 0) > 0) refined += classes.insert(checker + ": " + kind).second;
    if (refined == 0) classes.insert(checker);
  }
  return classes;
}

std::string classes_text(const std::set<std::string>& classes) {
  std::string text;
  for (const std::string& name : classes) text += (text.empty() ? "" : ", ") + name;
  return text.empty() ? "none" : text;
}

}  // namespace faultline
