// End to end: --nemesis corrupt on the bundled Paxos node. One node at a time is killed, one of
// its data files gets bits flipped or is cut short, and it is restarted later; a node that finds
// acknowledged state missing neither votes nor coordinates (targets/bundled/README.md, "Damaged
// data files"), so the run stays valid, and the history records each plan and what it did. A
// target whose data files the harness cannot reach is refused before anything starts. The
// figures over many seeds are in BENCHMARKS.md (bench/corruption.sh).
#include <catch2/catch.hpp>

#include "e2e_support.h"

using namespace faultline::e2e;

namespace {

// The completed corrupt ops of a history: {node: {plan..., "done": {...}}}.
std::vector<json> corruptions(const fs::path& history) {
  std::vector<json> found;
  std::ifstream in(history);
  for (std::string line; std::getline(in, line);) {
    const json op = json::parse(line);
    if (op["process"] == "nemesis" && op["type"] == "info" && op["f"] == "corrupt" && !op.contains("error"))
      found.push_back(op["value"]);
  }
  return found;
}

}  // namespace

TEST_CASE("corrupt: the correct node stays valid, and the history says what was damaged") {
  TempStore store;
  const Run run = run_faultline(test_arguments(store, "corrupt", 1,
                                               {{"--workload", "set"},
                                                {"--nemesis", "corrupt"},
                                                {"--nemesis-interval", "1"},
                                                {"--time-limit", "10"},
                                                {"--rate", "100"}}),
                                store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  const fs::path latest = fs::canonical(store.path / "corrupt" / "latest");
  const std::vector<json> done = corruptions(latest / "history.jsonl");
  CHECK(done.size() >= 2);
  for (const json& value : done) {
    INFO(value.dump());
    REQUIRE(value.size() == 1);
    const json& plan = value.begin().value();
    CHECK((plan.contains("bitflip") || plan.contains("truncate")));
    REQUIRE(plan.contains("done"));
    CHECK(plan["done"].contains("path"));
  }
  // The report's availability table has the windows.
  const json results = read_json(latest / "results.json");
  bool window = false;
  for (const json& listed : results["checkers"]["availability"]["windows"]) window |= listed["kind"] == "files corrupted";
  CHECK(window);
}

TEST_CASE("corrupt: refused before anything starts for a target whose data files the harness cannot reach") {
  TempStore store;
  const Run run = run_faultline({"test", "--target", "etcd", "--store", store.path.string(), "--name", "bad",
                                 "--nemesis", "corrupt"},
                                store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.output, Catch::Contains("--nemesis corrupt cannot act on --target etcd"));
  CHECK_FALSE(fs::exists(store.path / "bad"));
}
