// Suites across machines, pure: --shard I/N, the split of a suite's cells into N shards (every
// cell in exactly one shard, the same split on every machine, balanced within the heaviest
// cell), the shard.json a shard records, the checks that a set of shards is one whole suite,
// and that a merge's summary is the one the runs make on one machine.
#include <algorithm>
#include <limits>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "sha256.h"
#include "suite_results.h"
#include "suite_shard.h"

using namespace faultline;
using nlohmann::json;

namespace {

SuiteSpec parsed(const std::string& text) {
  auto spec = parse_suite(text, "s.json");
  INFO((spec ? "" : spec.error()));
  REQUIRE(spec.has_value());
  return *spec;
}

const char* three_by_five = R"({
  "name": "wide", "time_limit_s": 10, "seeds": [1, 2, 3],
  "configurations": [{"name": "a"}, {"name": "b", "options": {"protocol": "quorum"}}, {"name": "c", "expect": "any"}],
  "nemeses": ["none", "kill", "pause", "partition", "kill,pause"]
})";

std::int64_t load_of(const std::vector<std::size_t>& items, const std::vector<std::int64_t>& weights) {
  std::int64_t load = 0;
  for (std::size_t item : items) load += weights[item];
  return load;
}

ShardManifest manifest(const std::string& directory, std::size_t index, std::size_t count,
                       const std::string& hash = "aaaa", std::vector<std::uint64_t> seeds = {1, 2}) {
  ShardManifest m;
  m.directory = directory;
  m.suite = "nightly";
  m.suite_sha256 = hash;
  m.seeds = std::move(seeds);
  m.shard = {index, count};
  return m;
}

std::string set_error(const std::vector<ShardManifest>& shards) {
  auto checked = check_shard_set(shards);
  REQUIRE_FALSE(checked.has_value());
  return checked.error();
}

}  // namespace

TEST_CASE("the option --shard takes I/N with 1 <= I <= N and says what is wrong otherwise") {
  CHECK(parse_shard("1/1").value() == SuiteShard{1, 1});
  CHECK(parse_shard("2/3").value() == SuiteShard{2, 3});
  CHECK(parse_shard("3/3").value() == SuiteShard{3, 3});
  CHECK(shard_text({2, 3}) == "2/3");
  CHECK(parse_shard("0/3").error() == "\"0/3\": I, the shard's index, must be between 1 and N (3); shards count from 1");
  CHECK(parse_shard("4/3").error() == "\"4/3\": I, the shard's index, must be between 1 and N (3); shards count from 1");
  CHECK(parse_shard("1/0").error() == "\"1/0\": N, the number of shards, must be between 1 and 1000");
  CHECK(parse_shard("1/1001").error() == "\"1/1001\": N, the number of shards, must be between 1 and 1000");
  for (const char* bad : {"", "3", "1-3", "a/b", "/3", "1/", "+1/3", "-1/3", " 1/3", "1/3/4", "1.0/3", "99999999999/3"})
    CHECK_THAT(parse_shard(bad).error(), Catch::Contains("is not I/N (shard I of N, both whole numbers"));
}

TEST_CASE("the greedy split deals heaviest first to the least-loaded shard, ties in order") {
  CHECK(split_by_weight({5, 5, 5, 5}, 3) == std::vector<std::vector<std::size_t>>{{0, 3}, {1}, {2}});
  CHECK(split_by_weight({1, 9, 1, 1}, 2) == std::vector<std::vector<std::size_t>>{{1}, {0, 2, 3}});
  CHECK(split_by_weight({4, 3, 3, 2, 2, 2}, 2) == std::vector<std::vector<std::size_t>>{{0, 3, 4}, {1, 2, 5}});
  CHECK(split_by_weight({7}, 3) == std::vector<std::vector<std::size_t>>{{0}, {}, {}});  // more shards than cells
  CHECK(split_by_weight({}, 2) == std::vector<std::vector<std::size_t>>{{}, {}});
  CHECK(split_by_weight({3, 1}, 1) == std::vector<std::vector<std::size_t>>{{0, 1}});
}

TEST_CASE("property: N shards are disjoint, cover every cell, are the same every time, and balanced within the heaviest cell") {
  std::mt19937_64 random(22);
  for (int trial = 0; trial < 2000; ++trial) {
    const std::size_t items = random() % 40;
    const std::size_t count = 1 + random() % 9;
    std::vector<std::int64_t> weights;
    // Mostly equal weights (a suite's cells share a time limit), sometimes wildly different.
    const bool uniform = random() % 3 == 0;
    for (std::size_t i = 0; i < items; ++i) weights.push_back(uniform ? 34000 : 1 + static_cast<std::int64_t>(random() % 100000));
    INFO("trial " << trial << ": " << items << " cells, " << count << " shards");
    const auto shards = split_by_weight(weights, count);
    REQUIRE(shards.size() == count);
    std::vector<std::size_t> all;
    for (const auto& shard : shards) {
      CHECK(std::is_sorted(shard.begin(), shard.end()));
      all.insert(all.end(), shard.begin(), shard.end());
    }
    std::sort(all.begin(), all.end());
    std::vector<std::size_t> expected(items);
    for (std::size_t i = 0; i < items; ++i) expected[i] = i;
    CHECK(all == expected);  // union is the cell list, and no cell twice: disjoint
    CHECK(split_by_weight(weights, count) == shards);  // deterministic
    std::int64_t heaviest = 0, most = 0, least = std::numeric_limits<std::int64_t>::max();
    for (std::int64_t weight : weights) heaviest = std::max(heaviest, weight);
    for (const auto& shard : shards) {
      most = std::max(most, load_of(shard, weights));
      least = std::min(least, load_of(shard, weights));
    }
    CHECK(most - least <= heaviest);
  }
}

TEST_CASE("a suite's shards: cells weighed by expected run time, whole cells with all their seeds, the same split from the same file") {
  const SuiteSpec spec = parsed(three_by_five);
  const std::vector<SuiteRun> runs = *plan_suite(spec, "st", "s.json");
  const std::vector<PlannedCell> cells = planned_cells(runs);
  REQUIRE(cells.size() == 15);
  CHECK(cells[0].cell == SuiteCell{"a", "default", "none", "valid"});
  CHECK(cells[0].runs == std::vector<std::size_t>{0, 1, 2});
  // 10 s: warm-up 2 s, faults 8 s, recovery 2 s, and the overhead; three seeds.
  CHECK(expected_run_s(runs[0].options) == 12 + suite_run_overhead_s);
  CHECK(cells[0].expected_ms == 3 * (12 + static_cast<std::int64_t>(suite_run_overhead_s)) * 1000);
  for (std::size_t count : {1, 2, 3, 4, 7, 15, 20}) {
    INFO(count << " shards");
    std::vector<SuiteCell> together;
    std::set<std::string> run_names;
    std::size_t most = 0, least = cells.size();
    for (std::size_t index = 1; index <= count; ++index) {
      const std::vector<PlannedCell> mine = cells_of_shard(cells, {index, count});
      most = std::max(most, mine.size());
      least = std::min(least, mine.size());
      for (const PlannedCell& cell : mine) {
        together.push_back(cell.cell);
        CHECK(cell.runs.size() == 3);  // a cell's seeds stay together
        for (std::size_t run : cell.runs) CHECK(run_names.insert(runs[run].options.name).second);
      }
      // The same on another machine: planned again from the same text.
      const std::vector<SuiteRun> again = *plan_suite(parsed(three_by_five), "elsewhere", "other/path.json");
      std::vector<SuiteCell> there;
      for (const PlannedCell& cell : cells_of_shard(planned_cells(again), {index, count})) there.push_back(cell.cell);
      std::vector<SuiteCell> here;
      for (const PlannedCell& cell : mine) here.push_back(cell.cell);
      CHECK(there == here);
    }
    std::sort(together.begin(), together.end(), [&](const SuiteCell& a, const SuiteCell& b) {
      auto position = [&](const SuiteCell& c) {
        return std::find_if(cells.begin(), cells.end(), [&](const PlannedCell& p) { return p.cell == c; }) - cells.begin();
      };
      return position(a) < position(b);
    });
    std::vector<SuiteCell> all;
    for (const PlannedCell& cell : cells) all.push_back(cell.cell);
    CHECK(together == all);
    CHECK(run_names.size() == runs.size());
    CHECK(most - least <= 1);  // equal cells: counts differ by one at most
  }
  // 15 equal cells on 3 shards: 5 each, dealt in turn.
  std::vector<std::string> first;
  for (const PlannedCell& cell : cells_of_shard(cells, {1, 3})) first.push_back(cell.cell.configuration + "/" + cell.cell.nemesis);
  CHECK(first == std::vector<std::string>{"a/none", "a/partition", "b/kill", "b/kill,pause", "c/pause"});
}

TEST_CASE("shard.json round-trips, and a bad one says which field") {
  ShardManifest m = manifest("out/s1", 2, 3, sha256_hex("{}"), {1, 2});
  m.cells = {{"a", "kv", "kill", "valid"}, {"b", "kv", "none", "invalid"}};
  m.runs = 4;
  m.expected_s = 136;
  m.host = "runner-2";
  m.started = "20270101T000000";
  const json written = shard_manifest_json(m);
  CHECK(written["shard"] == json{{"index", 2}, {"count", 3}});
  CHECK(written["suite_sha256"] == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  auto read = shard_manifest_from_json(written, "out/s1");
  REQUIRE(read.has_value());
  CHECK(shard_manifest_json(*read) == written);
  CHECK(read->cells == m.cells);
  CHECK(read->directory == "out/s1");
  json bad = written;
  bad["shard"]["index"] = 4;
  CHECK(shard_manifest_from_json(bad, "d").error() == "d/shard.json: shard: 4/3 is not a shard I of N with 1 <= I <= N");
  bad = written;
  bad.erase("suite_sha256");
  CHECK(shard_manifest_from_json(bad, "d").error() == "d/shard.json: suite_sha256: a non-empty string is required");
  CHECK(shard_manifest_from_json(json::array(), "d").error() == "d/shard.json: expected a JSON object");
}

TEST_CASE("a set of shards is one whole suite, or the merge says why not, naming the directories") {
  auto whole = check_shard_set({manifest("s3", 3, 3), manifest("s1", 1, 3), manifest("s2", 2, 3)});
  REQUIRE(whole.has_value());
  CHECK(whole->at(0).directory == "s1");
  CHECK(whole->at(2).directory == "s3");
  CHECK(check_shard_set({manifest("only", 1, 1)}).has_value());

  CHECK(set_error({manifest("s1", 1, 3), manifest("s2", 2, 3, "aaaa", {1, 3}), manifest("s3", 3, 3)}) ==
        "the shards ran different seeds, so they are not one suite: seeds [1, 2] in s1, s3; seeds [1, 3] in s2");
  CHECK(set_error({manifest("s1", 1, 2, "aaaabbbbccccdddd"), manifest("s2", 2, 2, "eeeeffff00001111")}) ==
        "the shards ran different suite files: suite nightly (sha256 aaaabbbbcccc) in s1; suite nightly (sha256 "
        "eeeeffff0000) in s2 (the hash is of the suite file's bytes, as sha256sum prints it)");
  CHECK(set_error({manifest("s1", 1, 3), manifest("s2", 2, 4)}) ==
        "the shards split the suite into different numbers of shards: 3 shards in s1; 4 shards in s2");
  CHECK(set_error({manifest("s1", 1, 2), manifest("s2", 2, 2), manifest("again", 2, 2)}) ==
        "shard 2/2 is given more than once: s2 and again");
  CHECK(set_error({manifest("s2", 2, 3)}) ==
        "shards 1/3, 3/3 of suite nightly are missing; given: 2/3 (s2). Every shard's output is needed to make the "
        "whole matrix.");
  CHECK(set_error({manifest("s1", 1, 3), manifest("s2", 2, 3)}) ==
        "shard 3/3 of suite nightly is missing; given: 1/3 (s1), 2/3 (s2). Every shard's output is needed to make "
        "the whole matrix.");
  CHECK(set_error({}) == "no shards given");
}

TEST_CASE("a merge's summary, from the runs the shards' summaries recorded, is the one of the same runs on one machine") {
  const SuiteSpec spec = parsed(three_by_five);
  const std::vector<SuiteRun> runs = *plan_suite(spec, "st", "s.json");
  std::vector<SuiteRunOutcome> outcomes;
  std::mt19937 random(7);
  for (const SuiteRun& run : runs) {
    SuiteRunOutcome o;
    o.cell = run.cell;
    o.seed = run.seed;
    o.verdict = random() % 4 == 0 ? "invalid" : random() % 9 == 0 ? "unknown" : "valid";
    o.summary = o.verdict == "invalid" ? "linearizability: key 3: a stale read" : "";
    o.anomalies = o.verdict == "invalid";
    if (random() % 2) o.ok_share_during_faults = (random() % 100) / 100.0;
    o.p50_ms = 1.5 + random() % 10;
    o.p99_ms = 20 + random() % 100;
    o.ok_per_s = 90;
    if (o.verdict == "invalid") o.first_anomaly_s = 3.25;
    o.target = "faultline-node";
    o.run_directory = run.options.name + "/20270101T000000";
    o.reproduce = reproduce_command(run.options);
    o.elapsed_s = 14.5;
    outcomes.push_back(o);
  }
  // Finished in another order than planned (two at a time): the cells list seeds in the suite's order.
  std::vector<SuiteRunOutcome> finished = outcomes;
  std::reverse(finished.begin(), finished.end());
  const json one_machine = suite_summary_json(spec, finished, runs.size(), "T", 500, false);
  CHECK(one_machine["cells"][0]["runs"][0]["seed"] == 1);
  CHECK(one_machine["cells"][0]["runs"][2]["seed"] == 3);

  // Three shards, each summarizing its own cells; the merge reads their runs back.
  const std::vector<PlannedCell> cells = planned_cells(runs);
  std::vector<SuiteRunOutcome> read_back;
  for (std::size_t index = 1; index <= 3; ++index) {
    std::vector<SuiteRunOutcome> shard_outcomes;
    for (const PlannedCell& cell : cells_of_shard(cells, {index, 3}))
      for (std::size_t run : cell.runs) shard_outcomes.push_back(outcomes[run]);
    const json shard_summary = suite_summary_json(spec, shard_outcomes, shard_outcomes.size(), "T", 200, false);
    for (const json& cell : shard_summary["cells"]) {
      const SuiteCell planned{cell["configuration"], cell["workload"], cell["nemesis"], cell["expect"]};
      for (const json& run : cell["runs"]) {
        auto outcome = outcome_from_summary_run(planned, run);
        REQUIRE(outcome.has_value());
        read_back.push_back(*outcome);
      }
    }
  }
  CHECK(suite_summary_json(spec, read_back, runs.size(), "T", 500, false) == one_machine);
  CHECK(outcome_from_summary_run(cells[0].cell, json{{"verdict", "valid"}}).error() ==
        "a run's seed: a non-negative integer is required");
}

TEST_CASE("sha256 is FIPS 180-4's, as sha256sum prints it") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // The padding's edges: 55 bytes fit one block with the length, 56 need two.
  CHECK(sha256_hex(std::string(55, 'a')) == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  CHECK(sha256_hex(std::string(56, 'a')) == "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  CHECK(sha256_hex(std::string(63, 'a')) == "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34");
  CHECK(sha256_hex(std::string(64, 'a')) == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  CHECK(sha256_hex(std::string(119, 'a')) == "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb");
  CHECK(sha256_hex(std::string(1'000'000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
