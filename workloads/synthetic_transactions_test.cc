// Generated transactional histories have the verdict they were made to have: valid under
// strict-serializable without a planted anomaly, invalid with the planted stale read, for
// both of Elle's models; and a seed names one history.
#include <catch2/catch.hpp>

#include <sstream>

#include "synthetic_transactions.h"
#include "transactions/transaction_check.h"

namespace faultline {
namespace {

History generate(const SyntheticTransactionOptions& options, SyntheticTransactionSummary* summary = nullptr) {
  std::vector<Op> ops;
  const SyntheticTransactionSummary made = generate_synthetic_transactions(options, [&](const Op& op) { ops.push_back(op); });
  if (summary != nullptr) *summary = made;
  auto history = History::build(std::move(ops), "generated");
  if (!history) FAIL(history.error().to_string());
  return std::move(*history);
}

transactions::TransactionModel model_of(TransactionWorkload workload) {
  return workload == TransactionWorkload::list_append ? transactions::TransactionModel::list_append
                                                      : transactions::TransactionModel::rw_register;
}

TEST_CASE("generated transactions: valid without an anomaly, invalid with a planted stale read") {
  for (TransactionWorkload workload : {TransactionWorkload::list_append, TransactionWorkload::rw_register}) {
    for (std::uint64_t seed : {1, 2, 3}) {
      SyntheticTransactionOptions options;
      options.workload = workload;
      options.transactions = 3000;
      options.processes = 6;
      options.indeterminate_fraction = 0.05;
      options.fail_fraction = 0.05;
      options.seed = seed;
      INFO(to_string(workload) << " --seed " << seed);
      SyntheticTransactionSummary summary;
      const History clean = generate(options, &summary);
      CHECK(summary.transactions == 3000);
      CHECK(summary.info > 0);
      CHECK(summary.fail > 0);
      CHECK(summary.processes > 6);  // crashed processes were replaced
      CHECK_FALSE(summary.anomaly_index);
      const auto valid = transactions::check_transactions(clean, model_of(workload), {{"strict-serializable"}});
      INFO(valid.to_json().dump().substr(0, 2000));
      CHECK(valid.verdict == Verdict::valid);
      CHECK(valid.edges > 3000);  // it checked something

      options.plant = PlantedTransactionAnomaly::stale_read;
      const History planted = generate(options, &summary);
      REQUIRE(summary.anomaly_index);
      const auto invalid = transactions::check_transactions(planted, model_of(workload), {{"strict-serializable"}});
      INFO(invalid.to_json().dump().substr(0, 2000));
      CHECK(invalid.verdict == Verdict::invalid);
      CHECK(invalid.anomaly_types == std::vector<std::string>{"G-single-item-realtime"});
      REQUIRE(invalid.cycles.size() == 1);
      const auto& ops = invalid.cycles[0].ops;
      CHECK(std::find(ops.begin(), ops.end(), *summary.anomaly_index) != ops.end());
      // Serializable, without real time, allows the stale read.
      CHECK(transactions::check_transactions(planted, model_of(workload), {{"serializable"}}).verdict == Verdict::valid);
    }
  }
}

TEST_CASE("generated transactions: a seed names one history, options out of range are named") {
  SyntheticTransactionOptions options;
  options.workload = TransactionWorkload::rw_register;
  options.transactions = 200;
  options.seed = 7;
  std::ostringstream first, second;
  write_synthetic_transactions_jsonl(options, first);
  write_synthetic_transactions_jsonl(options, second);
  CHECK(first.str() == second.str());
  CHECK(first.str().find(R"("f":"txn")") != std::string::npos);
  CHECK(first.str().find(R"(["w","k)") != std::string::npos);

  options.processes = 0;
  CHECK(validate_synthetic_transaction_options(options).error() == "--processes must be between 1 and 100000, got 0");
  options.processes = 1;
  options.transactions = 2;
  options.plant = PlantedTransactionAnomaly::stale_read;
  CHECK(validate_synthetic_transaction_options(options).error() ==
        "--anomaly stale-read needs --transactions of at least 3 (the anomaly takes that many), got 2");
  CHECK(parse_transaction_workload("rw-register") == TransactionWorkload::rw_register);
  CHECK_FALSE(parse_transaction_workload("register"));
  CHECK_FALSE(parse_planted_transaction_anomaly("lost-write"));
}

}  // namespace
}  // namespace faultline
