#include "run_state.h"

#include <unistd.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "netns/system_command.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* run_state_file = "run_state.json";

json read_json_or_null(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  json value = json::parse(in, nullptr, false);
  return value.is_discarded() ? json(nullptr) : value;
}

}  // namespace

std::string_view run_state_name(RunState state) {
  switch (state) {
    case RunState::finished: return "finished";
    case RunState::interrupted: return "interrupted";
    case RunState::crashed: return "crashed";
    case RunState::running: return "running";
    case RunState::not_started: return "not_started";
  }
  return "crashed";
}

bool write_run_state(const fs::path& run_directory, RunState state) {
  json marker = {{"state", run_state_name(state)}};
  if (state == RunState::running) {
    const std::int64_t pid = getpid();
    marker["controller_pid"] = pid;
    marker["controller_start_ticks"] = netns::process_start_ticks(pid).value_or(0);
  }
  // Written beside and renamed over, so a reader never sees half a file.
  const fs::path path = run_directory / run_state_file, fresh = run_directory / ".run_state.json.new";
  {
    std::ofstream out(fresh);
    out << marker.dump() << '\n';
    if (!out.flush()) return false;
  }
  std::error_code error;
  fs::rename(fresh, path, error);
  return !error;
}

RunState read_run_state(const fs::path& run_directory) {
  const json marker = read_json_or_null(run_directory / run_state_file);
  if (!marker.is_object()) {
    const json results = read_json_or_null(run_directory / "results.json");
    if (!results.is_object()) return RunState::crashed;
    // Only a finished run's controller wrote "interrupted": false; an older analyze wrote no
    // such field, so a run without it may have been interrupted or crashed.
    if (!results.contains("interrupted")) return RunState::crashed;
    return results["interrupted"] == true ? RunState::interrupted : RunState::finished;
  }
  const std::string state = marker.value("state", std::string());
  if (state == "finished") return RunState::finished;
  if (state == "interrupted") return RunState::interrupted;
  if (state == "not_started") return RunState::not_started;
  if (state == "running") {
    const std::int64_t pid = marker.value("controller_pid", std::int64_t{0});
    const std::uint64_t ticks = marker.value("controller_start_ticks", std::uint64_t{0});
    if (pid > 0 && netns::process_start_ticks(pid) == ticks) return RunState::running;
  }
  return RunState::crashed;  // a controller gone without a word, or a marker we cannot read
}

std::string run_state_explanation(RunState state) {
  switch (state) {
    case RunState::finished: return "";
    case RunState::interrupted: return "the run was interrupted before it finished";
    case RunState::crashed: return "the controller ended before the run finished (killed or crashed)";
    case RunState::running: return "the run is still going; this is what it recorded so far";
    case RunState::not_started: return "the target did not start, so no operation ran";
  }
  return "";
}

}  // namespace faultline
