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
void add_suite_merge_command(CLI::App& app, int& exit_code);
// `faultline serve` runs in a program of its own, faultline-serve beside faultline (serve_main.cc):
// only it links the HTTP server library, whose TLS and compression libraries every other
// command would otherwise load at start-up. `faultline serve ...` executes `faultline-serve serve ...`.
void add_serve_command(CLI::App& app, int& exit_code);
inline constexpr const char* serve_command_description =
    "Serve a store over HTTP: \"/\" lists every run (name, start time, verdict, protocol, N/R/W, nemesis,\n"
    "workload, seed), newest first, each linking to its report.html; the files of run directories are\n"
    "served too, and nothing outside the store. Ctrl-C (or SIGTERM) stops it.\n"
    "Exit codes: 0 stopped by Ctrl-C, 3 bad option, no such store, or the port cannot be used.";
// Parses the command line into `app` (whose callbacks run the command and set `exit_code`) and
// returns the exit code: bad usage is exit_input_error, --help and --version exit_valid.
int run_command_line(CLI::App& app, int argc, char** argv, const int& exit_code);

// Executes faultline-serve with `arguments` (argv[1..]: "serve", ...); returns only on failure,
// with the exit code after saying why.
int exec_serve_program(int argc, char** argv);

}  // namespace faultline
