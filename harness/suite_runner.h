// Carries out a suite's runs: each one a `faultline test --options-file` child process (its
// own process group, so a Ctrl-C at the terminal reaches it only through the suite; it dies
// with the suite by PR_SET_PDEATHSIG), at most `parallel` at a time. Its options file and its
// output go to <suite directory>/runs/<run name>.json and .log.
//
// On Ctrl-C or SIGTERM no new run starts; the runs in flight get SIGINT (they stop their nodes
// and check what they have) and are waited for.
#pragma once

#include <filesystem>
#include <functional>
#include <vector>

#include "suite_results.h"
#include "suite_spec.h"

namespace faultline {

struct SuiteRunnerOptions {
  std::filesystem::path faultline_binary;
  std::filesystem::path suite_directory;
  std::filesystem::path store;
  int parallel = 1;
};

// The outcomes of the runs that finished, in the order they finished; `on_finished` is called
// with each (and how many have finished) as it comes.
std::vector<SuiteRunOutcome> run_suite(const std::vector<SuiteRun>& runs, const SuiteRunnerOptions& options,
                                       const std::function<void(const SuiteRunOutcome&, std::size_t)>& on_finished);

}  // namespace faultline
