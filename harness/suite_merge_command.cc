// `faultline suite-merge SHARD_DIR... --output DIR`: puts together the outputs of the N shards of
// one suite (`faultline suite SUITE.json --shard I/N` on N machines) as if one machine had run
// the whole suite: DIR is a store, and it gets DIR/suites/<suite>/<started>/ (matrix.html,
// summary.json, junit.xml, suite.json, runs/), the trends page DIR/suites/<suite>/index.html,
// and a copy of every run's directory (DIR/<run>/<started>/, so the matrix's links work and
// `faultline serve DIR` lists them). The whole-suite summary is suite_summary_json of every
// shard's run outcomes, in the suite's order: the same function, cells and pages as an
// unsharded run. <started> is the earliest shard's start and elapsed_s the longest shard's.
//
// Refused (exit 3, naming the directories): a directory that is not a shard's output, shards of
// different suite files or seeds (shard.json's sha256 of the suite file), of different N, a
// shard given twice, shards missing, or a shard whose cells are not those this faultline deals
// to it. Otherwise the exit code is the merged suite's: 0, 1 or 2 as `faultline suite`.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <tuple>

#include <CLI/CLI.hpp>

#include "command.h"
#include "sha256.h"
#include "suite_outputs.h"
#include "suite_results.h"
#include "suite_shard.h"
#include "suite_spec.h"

namespace faultline {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct SuiteMergeOptions {
  std::vector<std::string> shard_directories;
  std::string output;
};

// One shard's output, as read from its directory.
struct ShardInput {
  std::string given;  // as the user named it (messages say it)
  fs::path directory;
  fs::path store;     // the shard's store: its runs are there (directory is STORE/suites/<suite>/<started>)
  ShardManifest manifest;
  json summary;
  std::string suite_text;
};

std::expected<std::string, std::string> read_file_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected("cannot read " + path.string());
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

std::expected<ShardInput, std::string> read_shard(const std::string& given) {
  ShardInput input;
  input.given = given;
  input.directory = fs::absolute(fs::path(given)).lexically_normal();
  if (input.directory.filename().empty()) input.directory = input.directory.parent_path();  // a trailing "/"
  input.store = input.directory.parent_path().parent_path().parent_path();
  if (!fs::is_directory(input.directory)) return std::unexpected(given + ": no such directory");
  if (!fs::exists(input.directory / "shard.json"))
    return std::unexpected(given + ": no shard.json: not the output of `faultline suite SUITE.json --shard I/N` (a run "
                                   "of the whole suite needs no merge)");
  auto manifest_text = read_file_text(input.directory / "shard.json");
  if (!manifest_text) return std::unexpected(manifest_text.error());
  auto manifest = shard_manifest_from_json(json::parse(*manifest_text, nullptr, false), given);
  if (!manifest) return std::unexpected(manifest.error());
  input.manifest = std::move(*manifest);
  auto suite_text = read_file_text(input.directory / "suite.json");
  if (!suite_text) return std::unexpected(given + ": " + suite_text.error());
  input.suite_text = std::move(*suite_text);
  if (sha256_hex(input.suite_text) != input.manifest.suite_sha256)
    return std::unexpected(given + ": suite.json's sha256 is not the one shard.json records: changed after the run");
  if (!fs::exists(input.directory / "summary.json"))
    return std::unexpected(given + ": no summary.json: shard " + shard_text(input.manifest.shard) +
                           " did not finish (its process was stopped before writing it); run it again");
  auto summary_text = read_file_text(input.directory / "summary.json");
  if (!summary_text) return std::unexpected(summary_text.error());
  input.summary = json::parse(*summary_text, nullptr, false);
  if (!input.summary.is_object() || !input.summary.value("cells", json()).is_array())
    return std::unexpected(given + ": summary.json: not a suite's summary");
  return input;
}

std::string cells_text(const std::vector<SuiteCell>& cells) {
  std::string text;
  for (std::size_t i = 0; i < cells.size(); ++i)
    text += (i ? ", " : "") + cells[i].configuration + " / " + cells[i].workload + " / " + cells[i].nemesis;
  return text.empty() ? "none" : text;
}

// A run directory from a summary, as a path inside a store: relative, without "..".
bool inside_store(const fs::path& run_directory) {
  if (run_directory.empty() || !run_directory.is_relative()) return false;
  for (const fs::path& part : run_directory)
    if (part == "..") return false;
  return true;
}

// Copies the run directory `from` to `to` (hard links where the file system allows, so a merge
// on the machine that holds the shards costs no space) and points <to's parent>/latest at the
// newest run there. False when it could not be copied.
bool copy_run_directory(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::create_directories(to.parent_path(), error);
  if (error) return false;
  const auto options = fs::copy_options::recursive | fs::copy_options::copy_symlinks;
  fs::copy(from, to, options | fs::copy_options::create_hard_links, error);
  if (error) {
    fs::remove_all(to, error);
    error.clear();
    fs::copy(from, to, options, error);
    if (error) return false;
  }
  std::string newest;
  for (const auto& entry : fs::directory_iterator(to.parent_path(), error))
    if (entry.is_directory() && !entry.is_symlink() && entry.path().filename() != "latest")
      newest = std::max(newest, entry.path().filename().string());
  const fs::path latest = to.parent_path() / "latest", fresh = to.parent_path() / ".latest.new";
  fs::remove(fresh, error);
  fs::create_directory_symlink(newest, fresh, error);
  if (!error) fs::rename(fresh, latest, error);
  return true;
}

int refuse(const std::string& message) {
  std::cerr << "faultline suite-merge: " << message << '\n';
  return exit_input_error;
}

int run_suite_merge(const SuiteMergeOptions& options) {
  std::vector<ShardInput> inputs;
  for (const std::string& given : options.shard_directories) {
    auto input = read_shard(given);
    if (!input) return refuse(input.error());
    inputs.push_back(std::move(*input));
  }
  std::vector<ShardManifest> manifests;
  for (const ShardInput& input : inputs) manifests.push_back(input.manifest);
  auto whole = check_shard_set(manifests);
  if (!whole) return refuse(whole.error());
  std::stable_sort(inputs.begin(), inputs.end(), [](const ShardInput& a, const ShardInput& b) {
    return a.manifest.shard.index < b.manifest.shard.index;
  });

  // The suite as every shard ran it (one file, by its hash), and how this faultline splits it.
  const std::string suite_file = inputs.front().given + "/suite.json";
  auto spec = parse_suite(inputs.front().suite_text, suite_file);
  if (!spec) return refuse(spec.error());
  auto runs = plan_suite(*spec, "store", suite_file);
  if (!runs) return refuse(runs.error());
  const std::vector<PlannedCell> cells = planned_cells(*runs);

  // Every run outcome the shards recorded, by cell and seed, with the store that holds its run.
  using RunKey = std::tuple<std::string, std::string, std::string, std::uint64_t>;
  std::map<RunKey, std::pair<SuiteRunOutcome, const ShardInput*>> recorded;
  for (const ShardInput& input : inputs) {
    const std::vector<PlannedCell> dealt = cells_of_shard(cells, input.manifest.shard);
    std::vector<SuiteCell> expected;
    for (const PlannedCell& cell : dealt) expected.push_back(cell.cell);
    if (expected != input.manifest.cells)
      return refuse(input.given + ": shard " + shard_text(input.manifest.shard) + " ran the cells " +
                    cells_text(input.manifest.cells) + ", but this faultline deals it " + cells_text(expected) +
                    ": was it run by another version of faultline?");
    for (const json& cell : input.summary["cells"]) {
      const auto planned = std::find_if(dealt.begin(), dealt.end(), [&](const PlannedCell& c) {
        return c.cell.configuration == cell.value("configuration", "") && c.cell.workload == cell.value("workload", "") &&
               c.cell.nemesis == cell.value("nemesis", "");
      });
      const std::string where = input.given + "/summary.json: cell " + cell.value("configuration", "") + " / " +
                                cell.value("workload", "") + " / " + cell.value("nemesis", "");
      if (planned == dealt.end()) return refuse(where + ": not a cell of shard " + shard_text(input.manifest.shard));
      for (const json& run : cell.value("runs", json::array())) {
        auto outcome = outcome_from_summary_run(planned->cell, run);
        if (!outcome) return refuse(where + ": " + outcome.error());
        const RunKey key{outcome->cell.configuration, outcome->cell.workload, outcome->cell.nemesis, outcome->seed};
        if (!recorded.emplace(key, std::pair{*outcome, &input}).second)
          return refuse(where + ": seed " + std::to_string(outcome->seed) + " appears twice");
      }
    }
  }
  // In the suite's order, as one machine would have listed them.
  std::vector<SuiteRunOutcome> outcomes;
  std::vector<const ShardInput*> holders;
  for (const SuiteRun& run : *runs) {
    const auto found = recorded.find({run.cell.configuration, run.cell.workload, run.cell.nemesis, run.seed});
    if (found == recorded.end()) continue;
    outcomes.push_back(found->second.first);
    holders.push_back(found->second.second);
  }

  bool interrupted = false;
  double elapsed_s = 0;
  std::string started;
  json merged_from = json::array();
  for (const ShardInput& input : inputs) {
    const json& summary = input.summary;
    interrupted |= summary.value("interrupted", false);
    const double shard_elapsed = summary.value("elapsed_s", json(0)).is_number() ? summary["elapsed_s"].get<double>() : 0;
    elapsed_s = std::max(elapsed_s, shard_elapsed);
    const std::string shard_started = summary.value("started", json("")).is_string() ? summary["started"].get<std::string>() : "";
    if (!shard_started.empty() && (started.empty() || shard_started < started)) started = shard_started;
    merged_from.push_back({{"shard", shard_text(input.manifest.shard)},
                           {"directory", input.given},
                           {"host", input.manifest.host},
                           {"started", shard_started},
                           {"elapsed_s", shard_elapsed},
                           {"runs", summary.value("/counts/runs"_json_pointer, json(0))},
                           {"interrupted", summary.value("interrupted", false)}});
  }
  if (started.empty()) started = inputs.front().directory.filename().string();

  const fs::path output = options.output;
  const fs::path suite_root = output / "suites" / spec->name;
  auto created = create_suite_run_directory(suite_root, started);
  if (!created) return refuse(created.error());
  const fs::path directory = *created;
  nlohmann::json summary =
      suite_summary_json(*spec, outcomes, runs->size(), directory.filename().string(), elapsed_s, interrupted);
  summary["merged_from"] = merged_from;
  std::ofstream(directory / "suite.json", std::ios::binary) << inputs.front().suite_text;

  // Each run's options and output (runs/), and each run's directory, as one machine would have them.
  std::error_code error;
  fs::create_directories(directory / "runs", error);
  for (const ShardInput& input : inputs)
    for (const auto& entry : fs::directory_iterator(input.directory / "runs", error))
      if (!fs::exists(directory / "runs" / entry.path().filename()))
        fs::copy(entry.path(), directory / "runs" / entry.path().filename(), fs::copy_options::skip_existing, error);
  std::size_t copied = 0, present = 0;
  std::vector<std::string> not_found;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    const fs::path run_directory = outcomes[i].run_directory;
    if (run_directory.empty()) continue;  // the run never started
    const fs::path from = holders[i]->store / run_directory, to = output / run_directory;
    if (!inside_store(run_directory) || !fs::is_directory(from)) {
      not_found.push_back(outcomes[i].run_directory);
      continue;
    }
    if (fs::exists(to)) {
      ++present;  // merged into the shard's own store, or merged before
      continue;
    }
    if (copy_run_directory(from, to)) ++copied;
    else not_found.push_back(outcomes[i].run_directory);
  }

  bool written = write_suite_run_files(directory, summary);
  written &= write_suite_trends(suite_root);
  if (!written) std::cerr << "faultline suite-merge: could not write every page into " << directory.string() << '\n';

  const json& counts = summary["counts"];
  std::cout << "faultline suite-merge: suite " << spec->name << ", " << inputs.size() << " shards";
  for (const ShardInput& input : inputs) std::cout << (&input == &inputs.front() ? " (" : ", ") << shard_text(input.manifest.shard) << " " << input.given;
  std::cout << ")\n"
            << "suite " << spec->name << ": " << counts["met"] << " of " << runs->size() << " runs as expected, "
            << counts["missed"] << " not, " << counts["unknown"] << " unknown or failed" << (interrupted ? "; interrupted" : "")
            << "\nrun directories: " << copied << " copied into " << output.string() << ", " << present << " already there";
  if (!not_found.empty())
    std::cout << ", " << not_found.size() << " not found beside their shard (the matrix's links to them are broken; "
              << "keep each shard's whole store, not only its suite directory): " << not_found.front()
              << (not_found.size() > 1 ? ", ..." : "");
  std::cout << "\nresults in " << directory.string() << "\nmatrix: " << (directory / "matrix.html").string()
            << "\njunit: " << (directory / "junit.xml").string() << "\ntrends: " << (suite_root / "index.html").string()
            << '\n';
  return summary["exit_code"].get<int>();
}

}  // namespace

void add_suite_merge_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SuiteMergeOptions>();
  CLI::App* merge = app.add_subcommand(
      "suite-merge",
      "Merge the outputs of the shards of one suite (`faultline suite SUITE.json --shard I/N`, I = 1..N, on N "
      "machines) into one suite run, as if one machine had run every cell: matrix.html, summary.json, junit.xml "
      "and the trends page, written into the store DIR (DIR/suites/<suite>/<started>/ and "
      "DIR/suites/<suite>/index.html), with every run's directory copied into DIR so that the matrix's links "
      "work.\n"
      "Refused, exit code 3, naming the directories: a directory that is not a shard's output, shards of "
      "different suite files or seeds (each shard records its suite file's sha256 and seeds in shard.json), of "
      "different N, a shard given twice, or shards missing (it says which).\n"
      "Exit code otherwise, as `faultline suite`: 0 every run met its expectation, 1 one did not, 2 one was "
      "unknown or could not run, or a shard was interrupted.");
  merge
      ->add_option("shard_dirs", options->shard_directories,
                   "The output directories of the shards, one per shard, in any order: each is the "
                   "STORE/suites/<suite>/<started>/ that `faultline suite --shard I/N` printed as \"results in\" "
                   "(it holds shard.json). The runs' own directories are taken from that shard's STORE, three "
                   "levels up: keep each shard's whole store, as the README's CI job does")
      ->type_name("SHARD_DIR")
      ->required();
  merge
      ->add_option("--output", options->output,
                   "The store to write the merged suite run into (created if missing; a store that already holds "
                   "runs of the suite keeps them, and the trends page shows them with this one)")
      ->type_name("DIR")
      ->required();
  merge->callback([options, &exit_code] { exit_code = run_suite_merge(*options); });
}

}  // namespace faultline
