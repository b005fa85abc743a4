// Whether a stored run ran to its end. A run writes `run_state.json` into its directory when it
// starts ("running", with the controller's pid and start time) and again when it ends
// ("finished" or "interrupted"); a controller killed with SIGKILL leaves "running" behind. So a
// history alone never decides that a run was complete: `faultline analyze` reads this state and
// never calls a run valid that did not finish (STYLE principle 16).
//
// Runs stored before the marker existed have no run_state.json: their results.json's
// "interrupted" field decides, and a run without results.json counts as crashed.
#pragma once

#include <filesystem>
#include <string>

namespace faultline {

enum class RunState {
  finished,     // the run went through its phases and checked its history
  interrupted,  // Ctrl-C or SIGTERM: the controller stopped it early, on purpose
  crashed,      // the controller ended without saying how (SIGKILL, a crash, power loss)
  running,      // the controller that started it is still alive
  not_started,  // the target did not start: no operation ran
};

std::string_view run_state_name(RunState state);

// Writes run_state.json: "running" with this process's identity, or how the run ended. Returns
// false when the file could not be written.
bool write_run_state(const std::filesystem::path& run_directory, RunState state);

// What run_state.json (or, for older runs, results.json) says; "running" whose controller is gone
// is `crashed`.
RunState read_run_state(const std::filesystem::path& run_directory);

// For people: "the run was interrupted before it finished", ...; empty for finished.
std::string run_state_explanation(RunState state);

}  // namespace faultline
