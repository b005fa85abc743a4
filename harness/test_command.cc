// `faultline test`: one Jepsen-style test against the bundled cluster (see test_run.h).
#include <fstream>
#include <functional>
#include <iostream>

#include <CLI/CLI.hpp>

#include "command.h"
#include "seed_option.h"
#include "target_factory.h"
#include "test_flags.h"
#include "test_run.h"
#include "workload.h"

namespace faultline {

void add_test_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<TestOptions>();
  CLI::App* test = app.add_subcommand(
      "test",
      "Run a test: start a cluster (--target), run clients under faults, record the history, check it.\n"
      "With no options: 3 Paxos nodes, the register workload, kill and pause faults, about 40 s.\n"
      "Results go to STORE/NAME/TIMESTAMP/ (history.jsonl, results.json, test.json, nodes/*.log).\n"
      "Exit code: 0 valid, 1 invalid, 2 unknown (or interrupted with nothing found), 3 bad usage or\n"
      "environment.");
  TestFlags flags = bind_test_flags(test, options);
  auto target_texts = flags.target_texts;
  auto options_file = std::make_shared<std::string>();
  test->add_option("--options-file", *options_file,
                   "Take every option from this JSON file of test.json's fields (as a run stores it, seed "
                   "included; `faultline suite` runs its cells so); no other option may be given with it");
  test->callback([test, options, options_file, target_texts, &exit_code] {
    if (!options_file->empty()) {
      for (const CLI::Option* option : test->get_options())
        if (option->get_name() != "--options-file" && option->get_name() != "--help" && option->count() > 0) {
          std::cerr << "faultline test: " << option->get_name() << " cannot be given with --options-file\n";
          exit_code = exit_input_error;
          return;
        }
      std::ifstream in(*options_file);
      const nlohmann::json text = nlohmann::json::parse(in, nullptr, false);
      if (!in.good() && !in.eof()) {
        std::cerr << "faultline test: --options-file: cannot read " << *options_file << '\n';
        exit_code = exit_input_error;
        return;
      }
      if (text.is_discarded() || !text.is_object()) {
        std::cerr << "faultline test: --options-file: " << *options_file << " is not a JSON object\n";
        exit_code = exit_input_error;
        return;
      }
      auto loaded = test_options_from_json(text);
      if (!loaded) {
        std::cerr << "faultline test: --options-file " << *options_file << ": " << loaded.error() << '\n';
        exit_code = exit_input_error;
        return;
      }
      *options = *loaded;
    } else if (std::string problem = finish_test_flags(test, {options, target_texts}); !problem.empty()) {
      std::cerr << "faultline test: " << problem << '\n';
      exit_code = exit_input_error;
      return;
    }
    if (options->nemesis.size() == 1 && options->nemesis[0] == "none") options->nemesis.clear();
    if (options->partition_kinds.size() == 1 && options->partition_kinds[0] == "none") options->partition_kinds.clear();
    exit_code = run_test(*options, std::cout, std::cerr);
  });
}

}  // namespace faultline
