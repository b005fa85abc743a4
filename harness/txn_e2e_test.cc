// End to end: list-append transactions on the bundled node (POST /txn), one seed per behaviour;
// the figures over many seeds come from suites/transactions.json. Paxos runs each transaction as
// one consensus instance (strict serializable); quorum replication runs it as per-key operations
// with no isolation, and the planted paxos-txn-split commits each key on its own: the checker
// must name what those cost.
#include <catch2/catch.hpp>

#include "e2e_support.h"

using namespace faultline::e2e;

namespace {

json list_append_result(const TempStore& store, const std::string& name) {
  return read_json(store.path / name / "latest" / "results.json")["checkers"]["list-append"];
}

std::vector<std::pair<std::string, std::string>> append_options(std::vector<std::pair<std::string, std::string>> more) {
  std::vector<std::pair<std::string, std::string>> options = {{"--workload", "list-append"}, {"--time-limit", "10"}};
  options.insert(options.end(), more.begin(), more.end());
  return options;
}

}  // namespace

TEST_CASE("bundled Paxos: list-append transactions are strict serializable under kill and pause") {
  TempStore store;
  Run run = run_faultline(test_arguments(store, "paxos-append", 1,
                                         append_options({{"--nemesis", "kill,pause"}, {"--nemesis-interval", "2"}})),
                          store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  const json checked = list_append_result(store, "paxos-append");
  CHECK(checked["valid"] == true);
  // Transactions committed and read each other: the graph had something to check.
  CHECK(checked["transactions"].get<int>() > 300);
  CHECK(checked["edges"].get<int>() > 300);
}

TEST_CASE("bundled Paxos: list-append transactions are strict serializable under partitions") {
  TempStore store;
  Run run = run_faultline(test_arguments(store, "paxos-append-partition", 2,
                                         append_options({{"--nemesis", "partition"}, {"--nemesis-interval", "2"}})),
                          store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  const json checked = list_append_result(store, "paxos-append-partition");
  CHECK(checked["valid"] == true);
  CHECK(checked["transactions"].get<int>() > 300);
}

TEST_CASE("bundled quorum: list-append transactions without isolation are not serializable") {
  TempStore store;
  Run run = run_faultline(test_arguments(store, "quorum-append", 1,
                                         append_options({{"--protocol", "quorum"}, {"--nemesis", "pause"}, {"--rate", "1000"}})),
                          store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 1);
  const json checked = list_append_result(store, "quorum-append");
  CHECK(checked["valid"] == false);
  CHECK_FALSE(checked["anomaly-types"].empty());
}

TEST_CASE("bundled Paxos: the planted paxos-txn-split is caught") {
  TempStore store;
  Run run = run_faultline(test_arguments(store, "split-append", 1,
                                         append_options({{"--bug", "paxos-txn-split"}, {"--nemesis", "pause"}, {"--rate", "1000"}})),
                          store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 1);
  const json checked = list_append_result(store, "split-append");
  CHECK(checked["valid"] == false);
  CHECK_FALSE(checked["anomaly-types"].empty());
}

TEST_CASE("rw-register transactions: strict serializable under Paxos, not without isolation") {
  TempStore store;
  for (const std::string protocol : {"paxos", "quorum"}) {
    const std::string name = "rw-" + protocol;
    Run run = run_faultline(test_arguments(store, name, 1,
                                           {{"--workload", "rw-register"}, {"--time-limit", "10"}, {"--protocol", protocol},
                                            {"--nemesis", "pause"}, {"--rate", "1000"}}),
                            store.path / (name + ".txt"));
    INFO(run.output);
    const json checked = read_json(store.path / name / "latest" / "results.json")["checkers"]["rw-register"];
    CHECK(checked["transactions"].get<int>() > 300);
    if (protocol == "paxos") {
      CHECK(run.exit_code == 0);
      CHECK(checked["valid"] == true);
    } else {
      CHECK(run.exit_code == 1);
      CHECK_FALSE(checked["anomaly-types"].empty());
    }
  }
}
