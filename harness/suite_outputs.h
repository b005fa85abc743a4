// What `faultline suite` and `faultline suite-merge` write of a suite run, from its summary.json
// (harness/suite_results.h), with the renderers of reports/suite_pages.h:
//   <suite root>/<started>/  summary.json, junit.xml, matrix.html
//   <suite root>/index.html  the trends page over the whole-suite runs kept under the root
// where the suite root is STORE/suites/<suite>. A shard's summary (it has a "shard" field) is a
// part of a suite run, not one: the trends page leaves it out, and its merge is the suite run.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline {

// Writes summary.json, junit.xml and matrix.html into `directory`; false when one could not be
// written.
bool write_suite_run_files(const std::filesystem::path& directory, const nlohmann::json& summary);

// The summary.json of every whole-suite run under `suite_root`, oldest first (directory names
// are timestamps); shards' summaries are left out.
std::vector<nlohmann::json> whole_suite_summaries(const std::filesystem::path& suite_root);

// Rewrites suite_root/index.html from whole_suite_summaries(suite_root).
bool write_suite_trends(const std::filesystem::path& suite_root);

// A new directory suite_root/<started> ("-2", "-3" when it exists); the error says why not.
std::expected<std::filesystem::path, std::string> create_suite_run_directory(const std::filesystem::path& suite_root,
                                                                             const std::string& started);

}  // namespace faultline
