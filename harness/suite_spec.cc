#include "suite_spec.h"

#include <set>

namespace faultline {

namespace {

using nlohmann::json;

bool valid_suite_name(const std::string& name) {
  if (name.empty() || name.size() > 100) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return false;
  return true;
}

std::string run_name_part(const std::string& text) {
  std::string part = text;
  for (char& c : part)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  return part;
}

// A field of `options` that test.json does not have (a typo would otherwise be ignored).
std::string unknown_option_field(const json& options) {
  for (const auto& [key, value] : options.items())
    if (!is_test_option_field(key)) return key;
  return "";
}

// Reads an axis entry: {"name": ..., "options": {...}} (a string too, for nemeses).
std::expected<SuiteAxis, std::string> axis_of(const json& entry, const std::string& where, bool nemesis) {
  if (nemesis && entry.is_string()) {
    SuiteAxis axis{entry.get<std::string>(), json::object()};
    json faults = json::array();
    std::string text = axis.name;
    if (text != "none") {
      for (std::size_t start = 0; start <= text.size();) {
        const std::size_t comma = text.find(',', start);
        const std::string fault = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (fault.empty()) return std::unexpected(where + ": an empty fault in \"" + text + "\"");
        faults.push_back(fault);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    axis.options["nemesis"] = faults;
    return axis;
  }
  if (!entry.is_object())
    return std::unexpected(where + ": expected an object {\"name\": ..., \"options\": {...}}" +
                           (nemesis ? " or a string such as \"kill,pause\"" : ""));
  if (!entry.contains("name") || !entry["name"].is_string() || entry["name"].get<std::string>().empty())
    return std::unexpected(where + ".name: a non-empty string is required");
  SuiteAxis axis{entry["name"].get<std::string>(), json::object()};
  if (entry.contains("options")) {
    if (!entry["options"].is_object()) return std::unexpected(where + ".options: expected an object of test.json fields");
    if (std::string field = unknown_option_field(entry["options"]); !field.empty())
      return std::unexpected(where + ".options." + field + ": not a test option (see test.json of any run)");
    axis.options = entry["options"];
  }
  return axis;
}

std::expected<std::vector<SuiteAxis>, std::string> axes_of(const json& suite, const char* field, bool nemesis,
                                                           const std::string& file) {
  std::vector<SuiteAxis> axes;
  if (!suite.contains(field)) return std::unexpected(file + ": " + field + ": missing (expected a non-empty array)");
  const json& list = suite[field];
  if (!list.is_array() || list.empty()) return std::unexpected(file + ": " + field + ": expected a non-empty array");
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string where = file + ": " + field + "[" + std::to_string(i) + "]";
    auto axis = axis_of(list[i], where, nemesis);
    if (!axis) return std::unexpected(axis.error());
    if (!names.insert(axis->name).second) return std::unexpected(where + ".name: \"" + axis->name + "\" appears twice");
    axes.push_back(std::move(*axis));
  }
  return axes;
}

bool is_expectation(const json& value) { return value == "valid" || value == "invalid" || value == "any"; }

}  // namespace

std::expected<SuiteSpec, std::string> parse_suite(const std::string& text, const std::string& file) {
  json suite;
  try {
    suite = json::parse(text);
  } catch (const json::parse_error& error) {
    // nlohmann says "parse error at line L, column C: ..."
    return std::unexpected(file + ": not JSON: " + error.what());
  } catch (const json::exception& error) {  // a number too large for a double (out_of_range 406)
    return std::unexpected(file + ": not usable JSON: " + error.what());
  }
  if (!suite.is_object()) return std::unexpected(file + ": expected a JSON object");
  static const std::set<std::string> known = {"name",     "description",    "time_limit_s", "seeds",
                                              "defaults", "configurations", "nemeses",      "workloads"};
  for (const auto& [key, value] : suite.items())
    if (!known.contains(key)) return std::unexpected(file + ": " + key + ": not a field of a suite");
  SuiteSpec spec;
  if (!suite.contains("name") || !suite["name"].is_string() || !valid_suite_name(suite["name"]))
    return std::unexpected(file + ": name: required; letters, digits, - and _ only (it names a directory)");
  spec.name = suite["name"];
  if (suite.contains("description")) {
    if (!suite["description"].is_string()) return std::unexpected(file + ": description: expected a string");
    spec.description = suite["description"];
  }
  if (suite.contains("time_limit_s")) {
    if (!suite["time_limit_s"].is_number() || !(suite["time_limit_s"].get<double>() > 0))
      return std::unexpected(file + ": time_limit_s: expected a positive number of seconds");
    spec.time_limit_s = suite["time_limit_s"];
  }
  if (suite.contains("seeds")) {
    const json& seeds = suite["seeds"];
    if (!seeds.is_array() || seeds.empty()) return std::unexpected(file + ": seeds: expected a non-empty array");
    spec.seeds.clear();
    for (std::size_t i = 0; i < seeds.size(); ++i) {
      if (!seeds[i].is_number_unsigned())
        return std::unexpected(file + ": seeds[" + std::to_string(i) + "]: expected a non-negative integer");
      spec.seeds.push_back(seeds[i]);
    }
  }
  if (suite.contains("defaults")) {
    if (!suite["defaults"].is_object()) return std::unexpected(file + ": defaults: expected an object of test.json fields");
    if (std::string field = unknown_option_field(suite["defaults"]); !field.empty())
      return std::unexpected(file + ": defaults." + field + ": not a test option (see test.json of any run)");
    spec.defaults = suite["defaults"];
  }
  auto configurations = axes_of(suite, "configurations", false, file);
  if (!configurations) return std::unexpected(configurations.error());
  auto nemeses = axes_of(suite, "nemeses", true, file);
  if (!nemeses) return std::unexpected(nemeses.error());
  spec.nemeses = std::move(*nemeses);
  if (suite.contains("workloads")) {
    auto workloads = axes_of(suite, "workloads", false, file);
    if (!workloads) return std::unexpected(workloads.error());
    spec.workloads = std::move(*workloads);
  } else {
    // One workload axis entry: the defaults' workload, or whatever each configuration says.
    const json workload = spec.defaults.value("workload", json("default"));
    spec.workloads = {SuiteAxis{workload.is_string() ? workload.get<std::string>() : "default", json::object()}};
  }
  std::set<std::string> nemesis_names;
  for (const SuiteAxis& nemesis : spec.nemeses) nemesis_names.insert(nemesis.name);
  for (std::size_t i = 0; i < configurations->size(); ++i) {
    const json& entry = suite["configurations"][i];
    const std::string where = file + ": configurations[" + std::to_string(i) + "]";
    SuiteConfiguration configuration{(*configurations)[i], "valid", {}};
    for (const auto& [key, value] : entry.items())
      if (key != "name" && key != "options" && key != "expect" && key != "expect_by_nemesis")
        return std::unexpected(where + "." + key + ": not a field of a configuration");
    if (entry.contains("expect")) {
      if (!is_expectation(entry["expect"])) return std::unexpected(where + ".expect: expected \"valid\", \"invalid\" or \"any\"");
      configuration.expect = entry["expect"];
    }
    if (entry.contains("expect_by_nemesis")) {
      if (!entry["expect_by_nemesis"].is_object())
        return std::unexpected(where + ".expect_by_nemesis: expected an object {nemesis name: \"valid\" | \"invalid\"}");
      for (const auto& [nemesis, expectation] : entry["expect_by_nemesis"].items()) {
        if (!nemesis_names.contains(nemesis))
          return std::unexpected(where + ".expect_by_nemesis." + nemesis + ": no nemesis of the suite has that name");
        if (!is_expectation(expectation))
          return std::unexpected(where + ".expect_by_nemesis." + nemesis + ": expected \"valid\", \"invalid\" or \"any\"");
        configuration.expect_by_nemesis[nemesis] = expectation;
      }
    }
    spec.configurations.push_back(std::move(configuration));
  }
  return spec;
}

std::expected<std::vector<SuiteRun>, std::string> plan_suite(const SuiteSpec& spec, const std::string& store,
                                                             const std::string& file) {
  std::vector<SuiteRun> runs;
  for (const SuiteConfiguration& configuration : spec.configurations) {
    for (const SuiteAxis& workload : spec.workloads) {
      for (const SuiteAxis& nemesis : spec.nemeses) {
        const auto expectation = configuration.expect_by_nemesis.find(nemesis.name);
        const SuiteCell cell{configuration.axis.name, workload.name, nemesis.name,
                             expectation != configuration.expect_by_nemesis.end() ? expectation->second
                                                                                    : configuration.expect};
        json merged = spec.defaults;
        merged.update(workload.options);
        merged.update(configuration.axis.options);
        merged.update(nemesis.options);
        merged["time_limit_s"] = spec.time_limit_s;
        merged["store"] = store;
        for (std::uint64_t seed : spec.seeds) {
          merged["seed"] = seed;
          merged["name"] = spec.name + "." + run_name_part(cell.configuration) + "." + run_name_part(cell.workload) +
                           "." + run_name_part(cell.nemesis) + ".s" + std::to_string(seed);
          auto options = test_options_from_json(merged);
          if (!options)
            return std::unexpected(file + ": configuration \"" + cell.configuration + "\", workload \"" +
                                   cell.workload + "\", nemesis \"" + cell.nemesis + "\": " + options.error());
          runs.push_back({cell, seed, std::move(*options)});
        }
      }
    }
  }
  return runs;
}

}  // namespace faultline
