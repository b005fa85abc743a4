// Suites across machines, pure: which cells shard I of N runs (`faultline suite SUITE.json
// --shard I/N`), what a shard records of itself (shard.json), and whether a set of shards adds
// up to one whole suite (`faultline suite-merge`).
//
// The unit is the cell: every seed of a cell runs on the same shard. A cell weighs its expected
// run time, expected_run_s of each of its runs added up (milliseconds, integers: the same sums
// on every machine). Cells are dealt heaviest first, each to the shard with the least expected
// time so far; equal weights keep the suite's cell order and equal loads go to the lower shard.
// The split depends only on the suite file and N, so N runners that each compute it run every
// cell exactly once between them, and no shard expects more time than another by more than
// the heaviest cell (each cell goes to a least-loaded shard).
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "suite_spec.h"

namespace faultline {

// Shard `index` of `count`, 1 <= index <= count.
struct SuiteShard {
  std::size_t index = 1;
  std::size_t count = 1;
  bool operator==(const SuiteShard&) const = default;
};

inline constexpr std::size_t suite_shards_max = 1000;

// "2/3"; the error says what is wrong with `text` (the caller names the option).
std::expected<SuiteShard, std::string> parse_shard(std::string_view text);
std::string shard_text(const SuiteShard& shard);

// What a run costs besides its phases (starting the cluster, final reads, checking): the
// nightly suite's 30 s runs (35 s of phases) took 35.6-37.6 s, median 36.1 s, from start to
// results (2026-12-06, 2 cores, 2 at a time).
inline constexpr double suite_run_overhead_s = 1;

// The expected wall time of one run: warm-up, faults and recovery (test_options.h) and the
// overhead above.
double expected_run_s(const TestOptions& options);

// A cell of a planned suite: its runs (indexes into the plan) and their expected time.
struct PlannedCell {
  SuiteCell cell;
  std::vector<std::size_t> runs;
  std::int64_t expected_ms = 0;
};

// The cells of `runs` (a plan_suite result), in the plan's order.
std::vector<PlannedCell> planned_cells(const std::vector<SuiteRun>& runs);

// For each of `count` shards (index 0 is shard 1), the indexes of the weights dealt to it,
// ascending: the greedy split above. Every index appears in exactly one shard.
std::vector<std::vector<std::size_t>> split_by_weight(const std::vector<std::int64_t>& weights, std::size_t count);

// The cells of `cells` that `shard` runs, in the suite's order.
std::vector<PlannedCell> cells_of_shard(const std::vector<PlannedCell>& cells, const SuiteShard& shard);

// What a shard's output directory records in shard.json, so that a merge can check it:
// {"suite", "suite_sha256" (of the suite file's bytes: `sha256sum SUITE.json`), "seeds",
//  "shard": {"index", "count"}, "cells": [{"configuration", "workload", "nemesis", "expect"}],
//  "runs", "expected_s", "host", "started"}.
struct ShardManifest {
  std::string directory;  // where it was read from; not in the file (messages name it)
  std::string suite;
  std::string suite_sha256;
  std::vector<std::uint64_t> seeds;
  SuiteShard shard;
  std::vector<SuiteCell> cells;
  std::size_t runs = 0;
  double expected_s = 0;
  std::string host;
  std::string started;
};

nlohmann::json shard_manifest_json(const ShardManifest& manifest);
// The error says which field is missing or wrong.
std::expected<ShardManifest, std::string> shard_manifest_from_json(const nlohmann::json& json,
                                                                   const std::string& directory);

// The shards of one whole suite, ordered by index; or why they are not, naming the
// directories: they ran different suite files or seeds, split the suite into different
// numbers of shards, a shard is given twice, or shards are missing (which ones).
std::expected<std::vector<ShardManifest>, std::string> check_shard_set(std::vector<ShardManifest> shards);

}  // namespace faultline
