// The store: where runs are kept.
//   store/<name>/<YYYYmmddTHHMMSS>/  history.jsonl, results.json, test.json, nodes/*.log
//   store/<name>/latest              a symlink to the newest run of that name
#pragma once

#include <chrono>
#include <expected>
#include <filesystem>
#include <string>

namespace faultline {

// Creates a new run directory (and its nodes/ folder) for a run started at `started`, and
// points `latest` at it. Two runs in one second get "-2", "-3" suffixes. The error says what
// could not be created.
std::expected<std::filesystem::path, std::string> create_run_directory(const std::filesystem::path& store,
                                                                       const std::string& name,
                                                                       std::chrono::system_clock::time_point started);

// "20261122T130405" (UTC).
std::string run_timestamp(std::chrono::system_clock::time_point time);

}  // namespace faultline
