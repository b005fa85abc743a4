// Generated kv, multi-register and fifo-queue histories: valid as generated (the fast checker
// on big ones, the brute force on small ones), invalid with a planted anomaly, which the
// counterexample names.
#include <sstream>
#include <vector>

#include <catch2/catch.hpp>

#include "history/history.h"
#include "linearizability/brute_force.h"
#include "linearizability/linearizability.h"
#include "synthetic_models.h"

namespace faultline {
namespace {

struct Generated {
  History history;
  SyntheticModelSummary summary;
};

Generated generate(const SyntheticModelOptions& options) {
  REQUIRE(validate_synthetic_model_options(options).has_value());
  std::vector<Op> ops;
  const SyntheticModelSummary summary = generate_synthetic_model_history(options, [&](const Op& op) { ops.push_back(op); });
  auto history = History::build(std::move(ops), "generated");
  REQUIRE(history.has_value());
  return {std::move(*history), summary};
}

CheckResult check(const Generated& generated, SyntheticModel model) {
  LinearizabilityOptions options;
  options.model = find_model(to_string(model));
  REQUIRE(options.model != nullptr);
  auto result = check_linearizability(generated.history, options);
  REQUIRE(result.has_value());
  return *result;
}

constexpr SyntheticModel models[] = {SyntheticModel::kv, SyntheticModel::multi_register, SyntheticModel::fifo_queue};

}  // namespace

TEST_CASE("generated model histories are valid, with fail ops (and info ops but for the queue), and the same seed gives the same history") {
  for (SyntheticModel model : models) {
    INFO(to_string(model));
    // A fifo queue with ops of unknown outcome makes the search try every place an unseen enqueue
    // may have landed: its big history has none (the small ones below have them).
    const double indeterminate = model == SyntheticModel::fifo_queue ? 0 : 0.05;
    SyntheticModelOptions options{.model = model, .ops = 2000, .keys = 4, .clients = 8, .indeterminate_fraction = indeterminate,
                                  .fail_fraction = 0.05, .seed = 11};
    const Generated generated = generate(options);
    CHECK(generated.summary.ops == 2000);
    CHECK((generated.summary.info > 0) == (indeterminate > 0));
    CHECK(generated.summary.fail > 0);
    CHECK(check(generated, model).verdict == Verdict::valid);
    CHECK(generate(options).history.ops().back().value == generated.history.ops().back().value);
  }
}

TEST_CASE("small generated model histories are valid by the brute force too") {
  for (SyntheticModel model : models) {
    INFO(to_string(model));
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
      INFO("seed " << seed);
      const Generated generated = generate({.model = model, .ops = 8, .keys = 2, .clients = 3, .indeterminate_fraction = 0.2,
                                            .fail_fraction = 0.1, .seed = seed});
      CHECK(check_linearizability_brute_force(generated.history, *find_model(to_string(model)), nullptr) == Verdict::valid);
    }
  }
}

TEST_CASE("a planted anomaly makes a generated model history invalid, and the counterexample is the planted op") {
  for (SyntheticModel model : models) {
    INFO(to_string(model));
    const PlantedModelAnomaly plant =
        model == SyntheticModel::fifo_queue ? PlantedModelAnomaly::duplicate_dequeue : PlantedModelAnomaly::stale_read;
    for (std::uint64_t seed : {1, 2, 3}) {
      const Generated generated = generate({.model = model, .ops = 1000, .keys = 3, .clients = 6, .plant = plant, .seed = seed});
      REQUIRE(generated.summary.anomaly_index.has_value());
      const CheckResult result = check(generated, model);
      REQUIRE(result.verdict == Verdict::invalid);
      if (model != SyntheticModel::fifo_queue)  // a duplicate may be blamed on either of its two dequeues
        CHECK(result.details["anomaly"]["op"]["complete_index"] == *generated.summary.anomaly_index);
    }
  }
}

TEST_CASE("model generator options out of range are named") {
  SyntheticModelOptions options{.model = SyntheticModel::kv, .ops = 2, .plant = PlantedModelAnomaly::stale_read};
  CHECK(validate_synthetic_model_options(options).error() == "--ops must be at least 3 (the planted anomaly takes that many), got 2");
  CHECK(validate_synthetic_model_options({.keys = 0}).error() == "--keys must be between 1 and 1000000, got 0");
  CHECK_FALSE(parse_planted_model_anomaly("duplicate-dequeue", SyntheticModel::kv).has_value());
  CHECK(parse_planted_model_anomaly("duplicate-dequeue", SyntheticModel::fifo_queue) == PlantedModelAnomaly::duplicate_dequeue);
}

}  // namespace faultline
