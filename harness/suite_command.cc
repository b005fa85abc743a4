// `faultline suite SUITE.json`: runs a matrix of tests (harness/suite_spec.h) and writes, in
// STORE/suites/<suite>/<started>/, matrix.html, summary.json, junit.xml, the suite file as it
// was, and runs/ (each run's options and output); STORE/suites/<suite>/index.html shows every
// cell's trend over the suite's runs. The runs themselves go into the store like single tests.
// Exit code: 0 every run met its expectation, 1 one did not, 2 one was unknown or could not
// run (or the suite was interrupted), 3 a bad suite file or store.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "command.h"
#include "interrupt.h"
#include "progress.h"
#include "run_store.h"
#include "suite_pages.h"
#include "suite_results.h"
#include "suite_runner.h"
#include "suite_spec.h"

namespace faultline {

namespace {

namespace fs = std::filesystem;

struct SuiteCommandOptions {
  std::string suite_file;
  std::string store = "store";
  int parallel = 1;
  bool dry_run = false;
};

// Writes `render`'s output to `path`: the page is complete in memory before the file opens.
template <typename Render>
bool write_file(const fs::path& path, Render render) {
  std::ostringstream text;
  render(text);
  std::ofstream out(path);
  out << text.str();
  return static_cast<bool>(out);
}

// Every summary.json of the suite, oldest first (directory names are timestamps).
std::vector<nlohmann::json> suite_summaries(const fs::path& suite_root) {
  std::vector<fs::path> directories;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(suite_root, error))
    if (entry.is_directory() && fs::exists(entry.path() / "summary.json")) directories.push_back(entry.path());
  std::sort(directories.begin(), directories.end());
  std::vector<nlohmann::json> summaries;
  for (const fs::path& directory : directories) {
    std::ifstream in(directory / "summary.json");
    nlohmann::json summary = nlohmann::json::parse(in, nullptr, false);
    if (summary.is_object()) summaries.push_back(std::move(summary));
  }
  return summaries;
}

int run_suite_command(const SuiteCommandOptions& options) {
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
  const std::size_t cells = spec->configurations.size() * spec->workloads.size() * spec->nemeses.size();
  std::cout << "faultline suite " << spec->name << ": " << cells << " cells, " << runs->size() << " runs of about "
            << spec->time_limit_s << " s, " << options.parallel << " at a time\n";
  if (options.dry_run) {
    for (const SuiteRun& run : *runs)
      std::cout << "  " << run.cell.configuration << " / " << run.cell.workload << " / " << run.cell.nemesis
                << " seed " << run.seed << " (expect " << run.cell.expect << "): " << reproduce_command(run.options)
                << '\n';
    return exit_valid;
  }
  const auto started_at = std::chrono::system_clock::now();
  const std::string started = run_timestamp(started_at);
  const fs::path suite_root = fs::path(options.store) / "suites" / spec->name;
  fs::path directory = suite_root / started;
  for (int suffix = 2; fs::exists(directory); ++suffix) directory = suite_root / (started + "-" + std::to_string(suffix));
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) {
    std::cerr << "faultline suite: cannot create " << directory.string() << ": " << error.message() << '\n';
    return exit_input_error;
  }
  std::ofstream(directory / "suite.json") << text;
  std::cout << "results in " << directory.string() << '\n';

  install_interrupt_handlers(nullptr);
  const auto clock_started = std::chrono::steady_clock::now();
  SuiteRunnerOptions runner;
  runner.faultline_binary = fs::read_symlink("/proc/self/exe");
  runner.suite_directory = directory;
  runner.store = options.store;
  runner.parallel = options.parallel;
  const std::size_t planned = runs->size();
  const std::vector<SuiteRunOutcome> outcomes =
      run_suite(*runs, runner, [&](const SuiteRunOutcome& o, std::size_t finished) {
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
  const nlohmann::json summary =
      suite_summary_json(*spec, outcomes, planned, directory.filename().string(), elapsed_s, interrupted);
  std::ofstream(directory / "summary.json") << summary.dump(2) << '\n';
  write_file(directory / "junit.xml", [&](std::ostream& out) { write_suite_junit_xml(out, summary); });
  write_file(directory / "matrix.html", [&](std::ostream& out) { write_suite_matrix_html(out, summary); });
  const std::vector<nlohmann::json> summaries = suite_summaries(suite_root);
  write_file(suite_root / "index.html", [&](std::ostream& out) { write_suite_trends_html(out, summaries); });

  const nlohmann::json& counts = summary["counts"];
  std::cout << "suite " << spec->name << ": " << counts["met"] << " of " << planned << " runs as expected, "
            << counts["missed"] << " not, " << counts["unknown"] << " unknown or failed" << (interrupted ? "; interrupted" : "")
            << "\nmatrix: " << (directory / "matrix.html").string() << "\njunit: " << (directory / "junit.xml").string()
            << "\ntrends: " << (suite_root / "index.html").string() << '\n';
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
      "STORE/suites/<suite>/index.html.\n"
      "Exit code: 0 every run met its expectation, 1 one did not (an anomaly where none was expected, or none "
      "where one was), 2 one was unknown or could not run, or the suite was interrupted, 3 a bad suite file.");
  suite->add_option("suite_file", options->suite_file, "The suite, a JSON file")->required();
  suite->add_option("--store", options->store, "Where runs and the suite's pages are kept")->capture_default_str();
  suite->add_option("--parallel", options->parallel,
                    "Runs at a time (each starts its own cluster; on 2 cores more than 2 distorts timing)")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  suite->add_flag("--dry-run", options->dry_run, "List the runs and their commands; run nothing");
  suite->callback([options, &exit_code] { exit_code = run_suite_command(*options); });
}

}  // namespace faultline
