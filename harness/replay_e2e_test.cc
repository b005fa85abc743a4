// End to end: `faultline replay` applies a recorded run's faults at their recorded times, with
// the recorded options, any test flag overriding them (here --node-binary: another build).
#include <catch2/catch.hpp>

#include "e2e_support.h"

using namespace faultline::e2e;

namespace {

struct NemesisStep {
  double at_s;
  std::string f;
  json value;
};

std::vector<NemesisStep> nemesis_steps(const fs::path& history) {
  std::vector<NemesisStep> steps;
  std::ifstream in(history);
  for (std::string line; std::getline(in, line);) {
    const json op = json::parse(line);
    if (op["process"] == "nemesis" && op["type"] == "invoke")
      steps.push_back({op["time"].get<double>() / 1e9, op["f"].get<std::string>(), op["value"]});
  }
  return steps;
}

}  // namespace

TEST_CASE("replay: the recorded faults at their recorded times, on another build of the node") {
  TempStore store;
  Run original = run_faultline(test_arguments(store, "orig", 7, {{"--nemesis", "kill,pause,partition"}}),
                               store.path / "orig.txt");
  INFO(original.output);
  REQUIRE(original.exit_code == 0);
  const fs::path recorded = fs::canonical(store.path / "orig" / "latest");
  // Another build: a copy of the node, so that the replay provably ran it.
  const fs::path other = store.path / "other-node";
  fs::copy_file(faultline_binary().parent_path() / "faultline-node", other);
  fs::permissions(other, fs::perms::owner_exec, fs::perm_options::add);
  Run replay = run_faultline({"replay", (store.path / "orig" / "latest").string(), "--node-binary", other.string()},
                             store.path / "replay.txt");
  INFO(replay.output);
  CHECK(replay.exit_code == 0);
  const fs::path replayed = store.path / "orig-replay" / "latest";
  const json test = read_json(replayed / "test.json");
  CHECK(test["replay_of"] == recorded.string());
  CHECK(test["node_binary"] == other.string());
  CHECK(test["seed"] == 7);
  const std::vector<NemesisStep> before = nemesis_steps(recorded / "history.jsonl");
  const std::vector<NemesisStep> after = nemesis_steps(replayed / "history.jsonl");
  REQUIRE(before.size() >= 4);
  REQUIRE(after.size() == before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    INFO("step " << i << ": " << before[i].f << " " << before[i].value.dump());
    CHECK(after[i].f == before[i].f);
    CHECK(after[i].value == before[i].value);
    CHECK(std::abs(after[i].at_s - before[i].at_s) < 0.5);
  }
  CHECK_THAT(read_text(replayed / "report.html"), Catch::Contains("replay of"));
  CHECK_THAT(replay.output, Catch::Contains("reproduce: faultline replay " + recorded.string()));
}

TEST_CASE("replay: a directory that holds no run is refused") {
  TempStore store;
  Run run = run_faultline({"replay", store.path.string()}, store.path / "out.txt");
  CHECK(run.exit_code == 3);
  CHECK_THAT(run.output, Catch::Contains("is not a run directory"));
}
