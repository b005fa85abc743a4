// The synthetic history generator: its histories are well formed, have the shape asked for,
// are linearizable unless an anomaly is planted, and are not when one is (both by the
// brute-force checker, so on small histories).
#include <chrono>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>

#include "history/history.h"
#include "history/jsonl.h"
#include "linearizability/brute_force.h"
#include "linearizability/linearizability.h"
#include "synthetic_history.h"

namespace faultline {
namespace {

const Model& register_model = *find_model("register");
const Model& cas_register_model = *find_model("cas-register");

constexpr std::uint64_t seeds_per_case = 1000;

std::vector<Op> generate(const SyntheticHistoryOptions& options, SyntheticHistorySummary* summary = nullptr) {
  std::vector<Op> ops;
  SyntheticHistorySummary result = generate_synthetic_history(options, [&ops](const Op& op) { ops.push_back(op); });
  if (summary != nullptr) *summary = result;
  return ops;
}

History build(std::vector<Op> ops) {
  auto history = History::build(std::move(ops), "synthetic");
  if (!history) FAIL(history.error().to_string());
  return std::move(*history);
}

const Model& model_of(SyntheticWorkload workload) {
  return workload == SyntheticWorkload::cas_register ? cas_register_model : register_model;
}

// The history as JSON Lines, to show when a check fails.
std::string as_jsonl(const std::vector<Op>& ops) {
  std::ostringstream out;
  JsonlWriter writer(out);
  for (const Op& op : ops) writer.write(op);
  return out.str();
}

// Each key is an independent register, so the brute force checks one key at a time.
Verdict check_per_key(const std::vector<Op>& ops, const Model& model) {
  std::map<std::string, std::vector<Op>> by_key;
  for (const Op& op : ops) by_key[op.key.value_or("")].push_back(op);
  Verdict verdict = Verdict::valid;
  for (auto& [key, key_ops] : by_key) {
    for (Op& op : key_ops) op.index = -1;  // positions within the key's history
    if (check_linearizability_brute_force(build(key_ops), model, nullptr) == Verdict::invalid) {
      verdict = Verdict::invalid;
    }
  }
  return verdict;
}

bool same_ops(const std::vector<Op>& x, const std::vector<Op>& y) { return as_jsonl(x) == as_jsonl(y); }

}  // namespace

TEST_CASE("synthetic: the history is well formed and has the shape asked for", "[synthetic]") {
  SyntheticHistoryOptions options;
  options.ops = 5000;
  options.keys = 20;
  options.clients = 7;
  options.indeterminate_fraction = 0.1;
  options.fail_fraction = 0.05;
  options.seed = 42;
  SyntheticHistorySummary summary;
  const std::vector<Op> ops = generate(options, &summary);
  const History history = build(ops);

  std::int64_t invocations = 0, oks = 0, fails = 0, infos = 0;
  std::set<std::string> keys;
  std::set<std::int64_t> processes;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    CHECK(op.index == static_cast<std::int64_t>(i));
    if (i > 0) CHECK(op.time_ns > history[i - 1].time_ns);
    REQUIRE(op.key.has_value());
    keys.insert(*op.key);
    processes.insert(op.process);
    if (op.type == OpType::invoke) {
      ++invocations;
      CHECK(history.partner(i) >= 0);  // every op completes
    }
    oks += op.type == OpType::ok;
    fails += op.type == OpType::fail;
    infos += op.type == OpType::info;
  }
  CHECK(invocations == options.ops);
  CHECK(history.size() == static_cast<std::size_t>(2 * options.ops));
  CHECK(keys.size() == static_cast<std::size_t>(options.keys));
  CHECK(summary.ops == options.ops);
  CHECK(summary.ok == oks);
  CHECK(summary.fail == fails);
  CHECK(summary.info == infos);
  CHECK(summary.processes == static_cast<std::int64_t>(processes.size()));
  CHECK_FALSE(summary.anomaly_index.has_value());
  // Shares near those asked for; failed cas come on top of the random failures.
  CHECK(infos == Approx(0.1 * options.ops).epsilon(0.2));
  CHECK(fails > 0.05 * options.ops);
  // Every info retires its process: the clients plus one fresh process per info.
  CHECK(summary.processes <= options.clients + infos);
}

TEST_CASE("synthetic: a seed names one history", "[synthetic]") {
  SyntheticHistoryOptions options;
  options.ops = 300;
  options.keys = 3;
  options.indeterminate_fraction = 0.1;
  options.plant = PlantedAnomaly::stale_read;
  options.seed = 7;
  CHECK(same_ops(generate(options), generate(options)));
  SyntheticHistoryOptions other = options;
  other.seed = 8;
  CHECK_FALSE(same_ops(generate(options), generate(other)));

  std::ostringstream out;
  write_synthetic_history_jsonl(options, out);
  CHECK(out.str() == as_jsonl(generate(options)));
}

TEST_CASE("synthetic: a cas whose compare fails is recorded as fail", "[synthetic]") {
  SyntheticHistoryOptions options;
  options.ops = 500;
  options.workload = SyntheticWorkload::cas_register;
  options.seed = 3;
  const std::vector<Op> ops = generate(options);
  int failed_cas = 0;
  for (const Op& op : ops) {
    CHECK(op.type != OpType::info);
    if (op.type == OpType::fail) {
      CHECK(op.f == "cas");
      ++failed_cas;
    }
  }
  CHECK(failed_cas > 0);
}

TEST_CASE("synthetic: histories without a planted anomaly are linearizable", "[synthetic]") {
  for (SyntheticWorkload workload : {SyntheticWorkload::register_read_write, SyntheticWorkload::cas_register}) {
    for (std::uint64_t seed = 0; seed < seeds_per_case; ++seed) {
      SyntheticHistoryOptions options;
      options.workload = workload;
      options.seed = seed;
      options.values = 3;  // few values: reads are easy to explain wrongly
      options.indeterminate_fraction = 0.15;
      options.fail_fraction = 0.1;
      // Several small keys, then one key with every client on it.
      options.ops = 24;
      options.keys = 4;
      options.clients = 4;
      std::vector<Op> ops = generate(options);
      INFO(to_string(workload) << " seed " << seed << ", several keys\n" << as_jsonl(ops));
      CHECK(check_per_key(ops, model_of(workload)) == Verdict::valid);

      options.ops = 10;
      options.keys = 1;
      options.clients = 3;
      ops = generate(options);
      INFO(to_string(workload) << " seed " << seed << ", one key\n" << as_jsonl(ops));
      CHECK(check_per_key(ops, model_of(workload)) == Verdict::valid);
    }
  }
}

TEST_CASE("synthetic: a planted anomaly makes the history non-linearizable", "[synthetic]") {
  for (PlantedAnomaly plant : {PlantedAnomaly::stale_read, PlantedAnomaly::lost_write}) {
    for (SyntheticWorkload workload : {SyntheticWorkload::register_read_write, SyntheticWorkload::cas_register}) {
      for (std::uint64_t seed = 0; seed < seeds_per_case; ++seed) {
        SyntheticHistoryOptions options;
        options.workload = workload;
        options.plant = plant;
        options.seed = seed;
        options.values = 3;
        options.indeterminate_fraction = 0.1;
        options.fail_fraction = 0.1;
        options.ops = 3 + static_cast<std::int64_t>(seed % 6);
        options.keys = 1;
        options.clients = 1 + static_cast<std::int64_t>(seed % 3);
        SyntheticHistorySummary summary;
        const std::vector<Op> ops = generate(options, &summary);
        INFO(to_string(plant) << " " << to_string(workload) << " seed " << seed << "\n" << as_jsonl(ops));
        REQUIRE(summary.anomaly_index.has_value());
        const Op& read = ops[static_cast<std::size_t>(*summary.anomaly_index)];
        CHECK(read.f == "read");
        CHECK(read.type == OpType::ok);
        CHECK(read.key == summary.anomaly_key);
        CHECK(check_per_key(ops, model_of(workload)) == Verdict::invalid);

        if (plant == PlantedAnomaly::stale_read) {
          // The stale read is the only anomaly: without it the history is linearizable.
          const History history = build(ops);
          const auto read_position = static_cast<std::size_t>(*summary.anomaly_index);
          const auto invoke_position = static_cast<std::size_t>(history.partner(read_position));
          std::vector<Op> without_read;
          for (std::size_t i = 0; i < ops.size(); ++i) {
            if (i != read_position && i != invoke_position) without_read.push_back(ops[i]);
          }
          CHECK(check_per_key(without_read, model_of(workload)) == Verdict::valid);
        }
      }
    }
  }
}

TEST_CASE("synthetic: a planted anomaly hides among many keys and clients", "[synthetic]") {
  for (PlantedAnomaly plant : {PlantedAnomaly::stale_read, PlantedAnomaly::lost_write}) {
    for (std::uint64_t seed = 0; seed < seeds_per_case; ++seed) {
      SyntheticHistoryOptions options;
      options.plant = plant;
      options.seed = seed;
      options.values = 3;
      options.indeterminate_fraction = 0.1;
      options.ops = 30;
      options.keys = 5;
      options.clients = 5;
      const std::vector<Op> ops = generate(options);
      INFO(to_string(plant) << " seed " << seed << "\n" << as_jsonl(ops));
      CHECK(check_per_key(ops, cas_register_model) == Verdict::invalid);
    }
  }
}

TEST_CASE("synthetic: options out of range are named", "[synthetic]") {
  SyntheticHistoryOptions options;
  CHECK(validate_synthetic_history_options(options).has_value());
  auto error_of = [](SyntheticHistoryOptions bad) {
    auto result = validate_synthetic_history_options(bad);
    return result ? std::string() : result.error();
  };
  SyntheticHistoryOptions bad = options;
  bad.keys = 0;
  CHECK_THAT(error_of(bad), Catch::Contains("--keys"));
  bad = options;
  bad.clients = 0;
  CHECK_THAT(error_of(bad), Catch::Contains("--clients"));
  bad = options;
  bad.ops = -1;
  CHECK_THAT(error_of(bad), Catch::Contains("--ops"));
  bad = options;
  bad.indeterminate_fraction = 1.5;
  CHECK_THAT(error_of(bad), Catch::Contains("--indeterminate"));
  bad = options;
  bad.fail_fraction = -0.1;
  CHECK_THAT(error_of(bad), Catch::Contains("--fail"));
  bad = options;
  bad.indeterminate_fraction = 0.6;
  bad.fail_fraction = 0.6;
  CHECK_THAT(error_of(bad), Catch::Contains("at most 1"));
  bad = options;
  bad.ops = 2;
  bad.plant = PlantedAnomaly::lost_write;
  CHECK_THAT(error_of(bad), Catch::Contains("--plant"));
  bad = options;
  bad.values = 0;
  CHECK_THAT(error_of(bad), Catch::Contains("--values"));
}

TEST_CASE("synthetic: names of workloads and anomalies", "[synthetic]") {
  for (auto workload : {SyntheticWorkload::register_read_write, SyntheticWorkload::cas_register}) {
    CHECK(parse_synthetic_workload(to_string(workload)) == workload);
  }
  for (auto plant : {PlantedAnomaly::none, PlantedAnomaly::stale_read, PlantedAnomaly::lost_write}) {
    CHECK(parse_planted_anomaly(to_string(plant)) == plant);
  }
  CHECK_FALSE(parse_synthetic_workload("mutex").has_value());
  CHECK_FALSE(parse_planted_anomaly("stale_read").has_value());
}

}  // namespace faultline

namespace faultline {

// Beyond the brute force's reach: the fast checker on histories of thousands of ops. A
// time limit turns a checker that hangs into a failure (unknown) rather than a stuck test.
TEST_CASE("synthetic: the fast checker agrees at scale", "[synthetic][scale]") {
  constexpr std::chrono::milliseconds check_time_limit{20'000};
  for (PlantedAnomaly plant : {PlantedAnomaly::none, PlantedAnomaly::stale_read, PlantedAnomaly::lost_write}) {
    for (SyntheticWorkload workload : {SyntheticWorkload::register_read_write, SyntheticWorkload::cas_register}) {
      SyntheticHistoryOptions options;
      options.ops = 20'000;
      options.keys = 20;
      options.clients = 10;
      options.workload = workload;
      options.indeterminate_fraction = 0.05;
      options.fail_fraction = 0.05;
      options.plant = plant;
      options.seed = 11;
      SyntheticHistorySummary summary;
      const History history = build(generate(options, &summary));
      LinearizabilityOptions check_options;
      check_options.model = &model_of(workload);
      check_options.time_limit = check_time_limit;
      auto result = check_linearizability(history, check_options);
      REQUIRE(result.has_value());
      INFO(to_string(plant) << " " << to_string(workload) << " seed " << options.seed << ": " << result->details.dump());
      CHECK(result->verdict == (plant == PlantedAnomaly::none ? Verdict::valid : Verdict::invalid));
      if (result->verdict == Verdict::invalid && summary.anomaly_key) {
        // Every other key is linearizable, so the anomaly must be found on the planted one.
        CHECK(result->details["anomaly"]["key"] == nlohmann::json(*summary.anomaly_key));
      }
    }
  }
}

}  // namespace faultline
