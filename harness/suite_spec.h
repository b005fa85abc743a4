// A suite: a matrix of `faultline test` runs described in one JSON file (`faultline suite`).
// Rows are configurations of the system under test (and workloads, when there are several),
// columns are nemeses, and every cell runs once per seed. Each cell expects a verdict:
// `valid` unless its configuration says otherwise, so that a configuration known to be unsafe
// (quorum R+W<=N) is expected `invalid`, and a run that finds nothing there means the harness
// lost its power to detect. `any` asserts nothing: for a cell whose anomalies are possible in
// theory but too rare to count on, it shows the verdict and never fails the suite.
//
//   {
//     "name": "quorum-comparison",             // letters, digits, - and _ (a directory name)
//     "description": "...",                    // optional, for the matrix page
//     "time_limit_s": 20,                      // each run's --time-limit (default 30)
//     "seeds": [1, 2],                         // default [1]
//     "defaults": {"rate": 100},               // test.json fields every run starts from
//     "configurations": [
//       {"name": "paxos", "options": {"protocol": "paxos"}},
//       {"name": "R1W1", "options": {"protocol": "quorum", "read_quorum": 1, "write_quorum": 1},
//        "expect": "invalid", "expect_by_nemesis": {"none": "valid"}}
//     ],
//     "nemeses": ["none", "kill", {"name": "partition+kill", "options": {"nemesis": ["partition", "kill"]}}],
//     "workloads": [{"name": "kv", "options": {"workload": "kv", "keys": 20, "cas": false}}]
//                                              // default: one, named after the defaults' workload
//                                              // ("default" when they name none)
//   }
//
// `options` hold the fields of test.json (harness/test_options.h: protocol, read_quorum,
// nemesis, nemesis_interval_s, workload, cas, bug, ...). A run's options are the defaults,
// then the workload's, the configuration's and the nemesis's, then the suite's time limit
// and the seed. A nemesis given as a string "a,b" is {"name": "a,b", "options": {"nemesis":
// ["a", "b"]}}; "none" is no nemesis.
//
// Errors name the file and the field: "suites/x.json: configurations[1].options: --read-quorum: ...".
#pragma once

#include <cstdint>
#include <expected>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_options.h"

namespace faultline {

struct SuiteAxis {
  std::string name;
  nlohmann::json options = nlohmann::json::object();  // test.json fields
};

struct SuiteConfiguration {
  SuiteAxis axis;
  std::string expect = "valid";                         // valid | invalid | any
  std::map<std::string, std::string> expect_by_nemesis;  // nemesis name -> valid | invalid | any
};

struct SuiteSpec {
  std::string name;
  std::string description;
  double time_limit_s = 30;
  std::vector<std::uint64_t> seeds = {1};
  nlohmann::json defaults = nlohmann::json::object();
  std::vector<SuiteConfiguration> configurations;
  std::vector<SuiteAxis> nemeses;
  std::vector<SuiteAxis> workloads;
};

// The suite in `text` (read from `file`, which messages name). Checks the shape and names;
// plan_suite checks every run's options.
std::expected<SuiteSpec, std::string> parse_suite(const std::string& text, const std::string& file);

// One cell of the matrix.
struct SuiteCell {
  std::string configuration, workload, nemesis;
  std::string expect;  // valid | invalid | any
  bool operator==(const SuiteCell&) const = default;
};

// One run: its cell, seed, and full options (store and name set: the run is kept in `store`
// under "<suite>.<configuration>.<workload>.<nemesis>.s<seed>", with every character that is
// not a letter, digit, '-' or '_' made '-').
struct SuiteRun {
  SuiteCell cell;
  std::uint64_t seed = 0;
  TestOptions options;
};

// Every run, configuration by configuration, workload by workload, nemesis by nemesis, seed by
// seed. Errors: a combination whose options are not valid, named by its axes.
std::expected<std::vector<SuiteRun>, std::string> plan_suite(const SuiteSpec& spec, const std::string& store,
                                                             const std::string& file);

}  // namespace faultline
