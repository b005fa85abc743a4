// How a subcommand plugs into the `faultline` binary: each command file adds its
// subcommand to the app and, when run, stores the process exit code in `exit_code`.
// Exit codes (documented in the README): 0 valid, 1 invalid, 2 unknown, 3 error in input or
// environment (bad usage included).
#pragma once

namespace CLI {
class App;
}

namespace faultline {

inline constexpr int exit_valid = 0;
inline constexpr int exit_invalid = 1;
inline constexpr int exit_unknown = 2;
inline constexpr int exit_input_error = 3;

void add_check_command(CLI::App& app, int& exit_code);
void add_generate_command(CLI::App& app, int& exit_code);
void add_test_command(CLI::App& app, int& exit_code);
void add_replay_command(CLI::App& app, int& exit_code);
void add_shrink_command(CLI::App& app, int& exit_code);
void add_analyze_command(CLI::App& app, int& exit_code);
void add_report_command(CLI::App& app, int& exit_code);
void add_cleanup_command(CLI::App& app, int& exit_code);
void add_suite_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace faultline
