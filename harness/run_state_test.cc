#include "run_state.h"

#include <fstream>
#include <random>

#include <catch2/catch.hpp>

namespace faultline {
namespace {

namespace fs = std::filesystem;

struct TempDirectory {
  fs::path path = fs::temp_directory_path() / ("faultline-run-state-" + std::to_string(std::random_device{}()));
  TempDirectory() { fs::create_directories(path); }
  ~TempDirectory() { fs::remove_all(path); }
};

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace

TEST_CASE("run state: what the controller wrote is what analyze reads") {
  TempDirectory run;
  REQUIRE(write_run_state(run.path, RunState::running));
  CHECK(read_run_state(run.path) == RunState::running);  // this process is the controller, alive
  REQUIRE(write_run_state(run.path, RunState::interrupted));
  CHECK(read_run_state(run.path) == RunState::interrupted);
  REQUIRE(write_run_state(run.path, RunState::finished));
  CHECK(read_run_state(run.path) == RunState::finished);
  CHECK_FALSE(fs::exists(run.path / ".run_state.json.new"));
}

TEST_CASE("run state: a run whose controller is gone crashed") {
  TempDirectory run;
  // pid 1 exists but started at another time than this; a pid that cannot exist is gone too.
  write_text(run.path / "run_state.json", R"({"state": "running", "controller_pid": 1, "controller_start_ticks": 123456789})");
  CHECK(read_run_state(run.path) == RunState::crashed);
  write_text(run.path / "run_state.json", R"({"state": "running", "controller_pid": 2147483647, "controller_start_ticks": 0})");
  CHECK(read_run_state(run.path) == RunState::crashed);
  write_text(run.path / "run_state.json", "{\"state\": \"runn");  // torn
  CHECK(read_run_state(run.path) == RunState::crashed);
}

TEST_CASE("run state: runs stored before the marker fall back on results.json") {
  TempDirectory run;
  CHECK(read_run_state(run.path) == RunState::crashed);  // no results at all
  write_text(run.path / "results.json", R"({"valid": "unknown", "interrupted": true})");
  CHECK(read_run_state(run.path) == RunState::interrupted);
  write_text(run.path / "results.json", R"({"valid": true, "interrupted": false})");
  CHECK(read_run_state(run.path) == RunState::finished);
  // Results an older analyze rewrote say nothing of how the run ended: never finished.
  write_text(run.path / "results.json", R"({"valid": true, "analyzed_again": true})");
  CHECK(read_run_state(run.path) == RunState::crashed);
  // Once the marker exists, results.json (which analyze rewrites) no longer decides.
  REQUIRE(write_run_state(run.path, RunState::interrupted));
  CHECK(read_run_state(run.path) == RunState::interrupted);
}

TEST_CASE("run state: explanations for people") {
  CHECK(run_state_explanation(RunState::finished).empty());
  CHECK(run_state_explanation(RunState::crashed).find("killed or crashed") != std::string::npos);
  CHECK(run_state_name(RunState::interrupted) == "interrupted");
}

}  // namespace faultline
