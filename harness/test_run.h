// One `faultline test`, end to end: check the options, make the run directory, start the
// target, run the clients and the nemesis through warm-up, faults, heal and a quiet
// recovery, read finally from every node, stop every node on every way out, then check the
// history and write results.json. Returns the process exit code (0 valid, 1 invalid,
// 2 unknown — an interrupted run is at best unknown —, 3 error in input or environment).
#pragma once

#include <iosfwd>
#include <string>

#include "test_options.h"
#include "workload.h"

namespace faultline {

int run_test(TestOptions options, std::ostream& out, std::ostream& err);

// The workload part of a test's options (shared with `faultline analyze`).
WorkloadOptions workload_options(const TestOptions& options);

}  // namespace faultline
