// `faultline report RUN_DIR`: writes RUN_DIR/report.html, one self-contained page that
// explains the run (verdict, configuration, the anomaly drawn, timeline, charts), from the
// run's history.jsonl, results.json and test.json. Runs no checker: `analyze` does that.
#include <iostream>

#include <CLI/CLI.hpp>

#include "command.h"
#include "report_file.h"

namespace faultline {

void add_report_command(CLI::App& app, int& exit_code) {
  auto run_dir = std::make_shared<std::string>();
  auto dygraphs_directory = std::make_shared<std::string>(dygraphs_directory_default.string());
  CLI::App* report = app.add_subcommand("report", "Write RUN_DIR/report.html: a self-contained page explaining the run.\n"
                                                  "Prints the report's path. Exit code: 0 written, 3 a file of the run "
                                                  "is missing or bad.");
  report->add_option("run_dir", *run_dir, "A run directory, e.g. store/paxos-register/latest")
      ->required()
      ->check(CLI::ExistingDirectory);
  report->add_option("--dygraphs", *dygraphs_directory,
                     "Where dygraph.min.js and dygraph.min.css are (Debian: libjs-dygraphs); without them the "
                     "report has no charts and says so")
      ->capture_default_str();
  report->callback([run_dir, dygraphs_directory, &exit_code] {
    auto written = write_report(*run_dir, *dygraphs_directory);
    if (!written) {
      std::cerr << "faultline report: " << written.error().to_string() << '\n';
      exit_code = exit_input_error;
      return;
    }
    std::cout << written->string() << '\n';
    exit_code = exit_valid;
  });
}

}  // namespace faultline
