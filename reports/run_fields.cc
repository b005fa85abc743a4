#include "run_fields.h"

namespace faultline {

using nlohmann::json;

std::string verdict_name(const json& valid) {
  if (valid.is_boolean()) return valid.get<bool>() ? "valid" : "invalid";
  return "unknown";
}

std::string field_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string test_field_text(const json& test, const char* name) {
  return test.is_object() && test.contains(name) ? field_text(test[name]) : std::string("?");
}

std::string quorum_text(const json& test, const char* name) {
  if (!test.is_object() || !test.contains(name)) return "?";
  const json& size = test[name];
  return size.is_number() && size.get<double>() == 0 ? std::string("majority") : field_text(size);
}

std::string nemesis_text(const json& test) {
  const json faults = test.is_object() ? test.value("nemesis", json::array()) : json::array();
  if (!faults.is_array()) return field_text(faults);
  std::string text;
  for (const json& fault : faults) text += (text.empty() ? "" : ", ") + field_text(fault);
  return text.empty() ? "none" : text;
}

}  // namespace faultline
