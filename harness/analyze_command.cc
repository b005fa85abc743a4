// `faultline analyze RUN_DIR`: checks a stored run again, from its test.json and
// history.jsonl (which may be the partial history of an interrupted or crashed run).
#include <algorithm>
#include <fstream>
#include <sstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "command.h"
#include "history/history_format.h"
#include "report_file.h"
#include "run_checks.h"
#include "run_state.h"
#include "test_options.h"
#include "test_run.h"
#include "workload.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The history as recorded. A controller killed while it wrote a line leaves that line torn:
// no newline at the end of the file. Such a tail is dropped with a warning, as the node's own
// log drops one; a bad line anywhere else is an error.
Expected<History> read_history_without_torn_tail(const fs::path& path) {
  auto history = read_history_file(path.string(), HistoryFormat::jsonl);
  if (history) return history;
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::size_t last_newline = text.rfind('\n');
  if (text.empty() || text.back() == '\n' || last_newline == std::string::npos) return history;
  const auto lines = static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n'));
  if (history.error().line != lines + 1) return history;  // the error is not in the torn line
  std::istringstream complete(text.substr(0, last_newline + 1));
  auto without_tail = read_history(complete, path.string(), HistoryFormat::jsonl);
  if (without_tail)
    std::cerr << "faultline analyze: warning: " << path.string() << ":" << lines + 1
              << ": dropped a torn last line (the controller stopped while writing it)\n";
  return without_tail;
}

int run_analyze(const fs::path& run_dir) {
  std::ifstream test_file(run_dir / "test.json");
  if (!test_file) {
    std::cerr << "faultline analyze: " << (run_dir / "test.json").string() << ": cannot open (is this a run directory?)\n";
    return exit_input_error;
  }
  json test_json = json::parse(test_file, nullptr, false);
  if (test_json.is_discarded()) {
    std::cerr << "faultline analyze: " << (run_dir / "test.json").string() << ": not valid JSON\n";
    return exit_input_error;
  }
  auto options = test_options_from_json(test_json);
  if (!options) {
    std::cerr << "faultline analyze: " << (run_dir / "test.json").string() << ": " << options.error() << '\n';
    return exit_input_error;
  }
  auto workload = make_workload(workload_options(*options));
  if (!workload) {
    std::cerr << "faultline analyze: " << (run_dir / "test.json").string() << ": field 'workload': " << workload.error() << '\n';
    return exit_input_error;
  }
  auto history = read_history_without_torn_tail(run_dir / "history.jsonl");
  if (!history) {
    std::cerr << "faultline analyze: " << history.error().to_string() << '\n';
    return exit_input_error;
  }
  // How the run ended is read before results.json is rewritten: older runs keep it there.
  const RunState state = read_run_state(run_dir);
  const bool finished = state == RunState::finished;
  if (!finished) std::cout << "note: " << run_state_explanation(state) << '\n';
  std::vector<NamedResult> results = run_checkers(*history, **workload);
  Verdict verdict = merged_verdict(results);
  // A history that stops early proves an anomaly it holds, never the absence of one.
  if (!finished && verdict == Verdict::valid) verdict = Verdict::unknown;
  json extra = {{"seed", options->seed}, {"reproduce", reproduce_command(*options)}, {"name", options->name},
                {"run_directory", run_dir.string()}, {"analyzed_again", true}, {"interrupted", !finished},
                {"run_state", run_state_name(state)}};
  std::ofstream results_file(run_dir / "results.json");
  results_file << results_json(results, verdict, extra).dump(2) << '\n';
  results_file.close();
  std::cout << summarize_results(results) << "verdict: " << to_string(verdict)
            << (finished ? "" : " (" + std::string(run_state_name(state)) + ")") << '\n'
            << "results: " << (run_dir / "results.json").string() << '\n';
  if (auto report = write_report(run_dir)) std::cout << "report: " << report->string() << '\n';
  else std::cerr << "faultline analyze: no report: " << report.error().to_string() << '\n';
  if (verdict == Verdict::invalid) return exit_invalid;
  if (verdict == Verdict::unknown) return exit_unknown;
  return exit_valid;
}

}  // namespace

void add_analyze_command(CLI::App& app, int& exit_code) {
  auto run_dir = std::make_shared<std::string>();
  CLI::App* analyze = app.add_subcommand("analyze", "Check a stored run again (also an interrupted one) and rewrite its "
                                                    "results.json.\nExit code: as for test.");
  analyze->add_option("run_dir", *run_dir, "A run directory, e.g. store/paxos-register/latest")
      ->required()
      ->check(CLI::ExistingDirectory);
  analyze->callback([run_dir, &exit_code] { exit_code = run_analyze(*run_dir); });
}

}  // namespace faultline
