// `faultline replay RUN_DIR [test flags]`: a new test whose nemesis applies the recorded run's
// fault actions at their recorded times (nemesis/recorded_schedule.h) instead of drawing them,
// with the recorded options and seed (so the same workload draws), and any test flag given
// overriding the recorded one: `--node-binary` runs another build of the bundled node under the
// same faults, to see whether a fix makes an anomaly go away. `--faults-from HISTORY` applies the
// faults of another history instead (a schedule `faultline shrink` cut down).
#include <filesystem>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "command.h"
#include "test_flags.h"
#include "test_run.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// The command line of the flags given to `parsed` (its positional excepted), in the order CLI11
// parses a vector: reversed.
std::vector<std::string> given_flags(const CLI::App& parsed, const std::string& except) {
  std::vector<std::string> arguments;
  for (const CLI::Option* option : parsed.get_options()) {
    if (option->count() == 0 || !option->nonpositional() || option->get_name() == "--help" ||
        option->get_name() == except)
      continue;
    const std::string name = option->get_name();
    if (option->get_expected_max() == 0) {  // a flag without a value (--no-cas)
      arguments.push_back(name);
      continue;
    }
    std::string joined;
    for (const std::string& result : option->results()) joined += (joined.empty() ? "" : ",") + result;
    arguments.push_back(name);
    arguments.push_back(joined);
  }
  return {arguments.rbegin(), arguments.rend()};
}

}  // namespace

void add_replay_command(CLI::App& app, int& exit_code) {
  auto run_dir = std::make_shared<std::string>();
  auto faults_from = std::make_shared<std::string>();
  CLI::App* replay = app.add_subcommand(
      "replay",
      "Run a recorded run again: its options, its seed and its faults, each applied at the time it was\n"
      "recorded instead of drawn. Any `faultline test` flag given overrides the recorded one, e.g.\n"
      "--node-binary PATH to try another build of the bundled node under the same faults. The replay is\n"
      "a run of its own in the store (NAME-replay unless --name), whose test.json and report name the run\n"
      "it replays. Exit code as for `faultline test`; 3 when RUN_DIR holds no run.");
  replay->add_option("run_dir", *run_dir, "The run to replay: a run directory (STORE/NAME/TIMESTAMP or STORE/NAME/latest)")
      ->required();
  replay->add_option("--faults-from", *faults_from,
                     "Apply the faults recorded in this history file (JSONL: its nemesis operations, at their times)\n"
                     "instead of RUN_DIR's own, e.g. a schedule `faultline shrink` cut down");
  TestFlags parsed = bind_test_flags(replay, std::make_shared<TestOptions>());
  replay->callback([replay, run_dir, faults_from, parsed, &exit_code] {
    const fs::path dir = fs::weakly_canonical(fs::path(*run_dir));
    auto recorded = recorded_test_options(dir.string());
    if (!recorded) {
      std::cerr << "faultline replay: " << recorded.error() << '\n';
      exit_code = exit_input_error;
      return;
    }
    recorded->name += "-replay";
    // The flags given override the recorded options: parse them again, onto those.
    CLI::App overrides;
    TestFlags onto = bind_test_flags(&overrides, std::make_shared<TestOptions>(*recorded));
    std::vector<std::string> arguments = given_flags(*replay, "--faults-from");
    try {
      overrides.parse(arguments);
    } catch (const CLI::ParseError& error) {
      std::cerr << "faultline replay: " << error.what() << '\n';
      exit_code = exit_input_error;
      return;
    }
    if (std::string problem = finish_test_flags(&overrides, onto); !problem.empty()) {
      std::cerr << "faultline replay: " << problem << '\n';
      exit_code = exit_input_error;
      return;
    }
    TestOptions options = *onto.options;
    options.replay_of = dir.string();
    // A run's own history records the faults it applied, wherever they came from.
    options.faults_from = faults_from->empty() ? "" : fs::weakly_canonical(fs::path(*faults_from)).string();
    std::cout << "faultline replay: the faults of " << (options.faults_from.empty() ? dir.string() : options.faults_from)
              << " at their recorded times\n";
    exit_code = run_test(options, std::cout, std::cerr);
  });
}

}  // namespace faultline
