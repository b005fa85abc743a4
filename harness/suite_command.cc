// `faultline suite SUITE.json`: runs a matrix of tests (harness/suite_spec.h) and writes, in
// STORE/suites/<suite>/<started>/, matrix.html, summary.json, junit.xml, the suite file as it
// was, and runs/ (each run's options and output); STORE/suites/<suite>/index.html shows every
// cell's trend over the suite's runs. The runs themselves go into the store like single tests.
// With --shard I/N it runs shard I of N (harness/suite_shard.h) and records which in shard.json;
// `faultline suite-merge` (suite_merge_command.cc) makes the whole suite run of the shards.
// Exit code: 0 every run met its expectation, 1 one did not, 2 one was unknown or could not
// run (or the suite was interrupted), 3 a bad suite file, --shard or store.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include <CLI/CLI.hpp>

#include "command.h"
#include "interrupt.h"
#include "progress.h"
#include "run_store.h"
#include "sha256.h"
#include "suite_outputs.h"
#include "suite_results.h"
#include "suite_runner.h"
#include "suite_shard.h"
#include "suite_spec.h"

namespace faultline {

namespace {

namespace fs = std::filesystem;

struct SuiteCommandOptions {
  std::string suite_file;
  std::string store = "store";
  int parallel = 1;
  bool dry_run = false;
  std::string shard;  // "I/N", or empty: the whole suite
};

std::string host_name() {
  char name[256] = {};
  return gethostname(name, sizeof name - 1) == 0 ? name : "";
}

int run_suite_command(const SuiteCommandOptions& options) {
  std::optional<SuiteShard> shard;
  if (!options.shard.empty()) {
    auto parsed = parse_shard(options.shard);
    if (!parsed) {
      std::cerr << "faultline suite: --shard " << parsed.error() << '\n';
      return exit_input_error;
    }
    shard = *parsed;
  }
  std::ifstream in(options.suite_file);
  if (!in) {
    std::cerr << "faultline suite: cannot read " << options.suite_file << '\n';
    return exit_input_error;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  auto spec = parse_suite(text, options.suite_file);
  if (!spec) {
    std::cerr << "faultline suite: " << spec.error() << '\n';
    return exit_input_error;
  }
  auto runs = plan_suite(*spec, options.store, options.suite_file);
  if (!runs) {
    std::cerr << "faultline suite: " << runs.error() << '\n';
    return exit_input_error;
  }
  const std::vector<PlannedCell> cells = planned_cells(*runs);
  // The runs this process carries out: all, or the shard's cells' (in the suite's order).
  std::vector<SuiteRun> mine = *runs;
  std::vector<PlannedCell> my_cells = cells;
  if (shard) {
    my_cells = cells_of_shard(cells, *shard);
    mine.clear();
    for (const PlannedCell& cell : my_cells)
      for (std::size_t run : cell.runs) mine.push_back((*runs)[run]);
  }
  double expected_s = 0;
  for (const PlannedCell& cell : my_cells) expected_s += static_cast<double>(cell.expected_ms) / 1000;
  std::cout << "faultline suite " << spec->name;
  if (shard) {
    std::cout << ", shard " << shard_text(*shard) << ": " << my_cells.size() << " of " << cells.size() << " cells, "
              << mine.size() << " of " << runs->size() << " runs";
  } else {
    std::cout << ": " << cells.size() << " cells, " << runs->size() << " runs";
  }
  std::cout << " of about " << spec->time_limit_s << " s, " << options.parallel << " at a time (expected "
            << duration_text(expected_s / options.parallel) << ")\n";
  if (options.dry_run) {
    for (const SuiteRun& run : mine)
      std::cout << "  " << run.cell.configuration << " / " << run.cell.workload << " / " << run.cell.nemesis
                << " seed " << run.seed << " (expect " << run.cell.expect << "): " << reproduce_command(run.options)
                << '\n';
    return exit_valid;
  }
  const auto started_at = std::chrono::system_clock::now();
  const fs::path suite_root = fs::path(options.store) / "suites" / spec->name;
  auto created = create_suite_run_directory(suite_root, run_timestamp(started_at));
  if (!created) {
    std::cerr << "faultline suite: " << created.error() << '\n';
    return exit_input_error;
  }
  const fs::path directory = *created;
  std::ofstream(directory / "suite.json") << text;
  if (shard) {
    ShardManifest manifest;
    manifest.suite = spec->name;
    manifest.suite_sha256 = sha256_hex(text);
    manifest.seeds = spec->seeds;
    manifest.shard = *shard;
    for (const PlannedCell& cell : my_cells) manifest.cells.push_back(cell.cell);
    manifest.runs = mine.size();
    manifest.expected_s = expected_s;
    manifest.host = host_name();
    manifest.started = directory.filename().string();
    std::ofstream(directory / "shard.json") << shard_manifest_json(manifest).dump(2) << '\n';
  }
  std::cout << "results in " << directory.string() << '\n';

  install_interrupt_handlers(nullptr);
  const auto clock_started = std::chrono::steady_clock::now();
  SuiteRunnerOptions runner;
  runner.faultline_binary = fs::read_symlink("/proc/self/exe");
  runner.suite_directory = directory;
  runner.store = options.store;
  runner.parallel = options.parallel;
  const std::size_t planned = mine.size();
  const std::vector<SuiteRunOutcome> outcomes =
      run_suite(mine, runner, [&](const SuiteRunOutcome& o, std::size_t finished) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_started).count();
        const double left = elapsed / static_cast<double>(finished) * static_cast<double>(planned - finished);
        std::cout << "[" << finished << "/" << planned << " " << duration_text(elapsed) << ", ~" << duration_text(left)
                  << " left] " << o.cell.configuration << " / " << o.cell.workload << " / " << o.cell.nemesis
                  << " seed " << o.seed << ": " << o.verdict << " (expected " << o.cell.expect << ")"
                  << (o.met() ? "" : "  <-- " + o.summary) << '\n'
                  << std::flush;
      });
  const bool interrupted = interrupt_requested();
  const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_started).count();
  nlohmann::json summary =
      suite_summary_json(*spec, outcomes, planned, directory.filename().string(), elapsed_s, interrupted);
  if (shard)
    summary["shard"] = {{"index", shard->index}, {"count", shard->count}, {"cells", my_cells.size()},
                        {"suite_cells", cells.size()}, {"suite_runs", runs->size()}};
  bool written = write_suite_run_files(directory, summary);
  if (!shard) written &= write_suite_trends(suite_root);
  if (!written) std::cerr << "faultline suite: could not write every page into " << directory.string() << '\n';

  const nlohmann::json& counts = summary["counts"];
  std::cout << "suite " << spec->name << ": " << counts["met"] << " of " << planned << " runs as expected, "
            << counts["missed"] << " not, " << counts["unknown"] << " unknown or failed" << (interrupted ? "; interrupted" : "")
            << "\nmatrix: " << (directory / "matrix.html").string() << "\njunit: " << (directory / "junit.xml").string()
            << '\n';
  if (shard)
    std::cout << "shard " << shard_text(*shard) << " of suite " << spec->name << ": merge every shard's directory with "
              << "faultline suite-merge SHARD_DIR... --output STORE\n";
  else
    std::cout << "trends: " << (suite_root / "index.html").string() << '\n';
  return summary["exit_code"].get<int>();
}

}  // namespace

void add_suite_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<SuiteCommandOptions>();
  CLI::App* suite = app.add_subcommand(
      "suite",
      "Run a matrix of tests from a suite file: configurations x workloads x nemeses x seeds, each cell with an "
      "expected verdict (see suites/ for examples and the README for the format). Writes matrix.html, "
      "summary.json and junit.xml into STORE/suites/<suite>/<started>/, and the trends page "
      "STORE/suites/<suite>/index.html. With --shard I/N, only shard I of N (see faultline suite-merge).\n"
      "Exit code: 0 every run met its expectation, 1 one did not (an anomaly where none was expected, or none "
      "where one was), 2 one was unknown or could not run, or the suite was interrupted, 3 a bad suite file or --shard.");
  suite->add_option("suite_file", options->suite_file, "The suite, a JSON file")->required();
  suite->add_option("--store", options->store, "Where runs and the suite's pages are kept")->capture_default_str();
  suite->add_option("--parallel", options->parallel,
                    "Runs at a time (each starts its own cluster; on 2 cores more than 2 distorts timing)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  suite->add_option("--shard", options->shard,
                    "I/N: run only shard I of N (1 <= I <= N), a deterministic share of the cells, all seeds of a "
                    "cell on one shard, dealt by expected run time so the shards take about as long (on N "
                    "machines: one --shard each, then `faultline suite-merge` of their outputs). The output "
                    "directory's shard.json records the suite file's sha256, its seeds, I and N")
      ->type_name("I/N");
  suite->add_flag("--dry-run", options->dry_run, "List the runs (of the shard, with --shard) and their commands; run nothing");
  suite->callback([options, &exit_code] { exit_code = run_suite_command(*options); });
}

}  // namespace faultline
