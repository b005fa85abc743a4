// How a run's stored fields (results.json, test.json) read as text: shared by the report of
// one run and the listing of every run in the store, so that both say the same thing.
// Pure: JSON in, text out.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace faultline {

// results.json's "valid": true "valid", false "invalid", anything else "unknown".
std::string verdict_name(const nlohmann::json& valid);

// A string as it is, null as "", any other JSON as compact JSON (invalid UTF-8 replaced).
std::string field_text(const nlohmann::json& value);

// test.json's field `name` as text, or "?" when absent.
std::string test_field_text(const nlohmann::json& test, const char* name);

// A quorum size from test.json ("read_quorum", "write_quorum"): 0 means "majority"; "?" when absent.
std::string quorum_text(const nlohmann::json& test, const char* name);

// test.json's nemesis list: "kill, pause", or "none".
std::string nemesis_text(const nlohmann::json& test);

}  // namespace faultline
