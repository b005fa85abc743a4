// faultline: the controller. Each subcommand lives in its own *_command.cc.
#include <CLI/CLI.hpp>

#include "command.h"

int main(int argc, char** argv) {
  CLI::App app{"faultline: a Jepsen-style consistency testing harness.\n"
               "Run `faultline COMMAND --help` for the options of a command."};
  app.set_version_flag("--version", std::string("faultline ") + FAULTLINE_VERSION);
  app.require_subcommand(1);
  int exit_code = faultline::exit_valid;
  faultline::add_test_command(app, exit_code);
  faultline::add_replay_command(app, exit_code);
  faultline::add_shrink_command(app, exit_code);
  faultline::add_analyze_command(app, exit_code);
  faultline::add_report_command(app, exit_code);
  faultline::add_serve_command(app, exit_code);
  faultline::add_check_command(app, exit_code);
  faultline::add_generate_command(app, exit_code);
  faultline::add_suite_command(app, exit_code);
  faultline::add_cleanup_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? faultline::exit_valid : faultline::exit_input_error;
  }
  return exit_code;
}
