// faultline-serve: `faultline serve` in a program of its own (command.h says why). Run as
// `faultline-serve serve [options]`, which is what `faultline serve [options]` executes.
#include <CLI/CLI.hpp>

#include "command.h"

int main(int argc, char** argv) {
  CLI::App app{"faultline-serve: the `faultline serve` command. Run `faultline serve --help`."};
  app.require_subcommand(1);
  int exit_code = faultline::exit_valid;
  faultline::add_serve_command(app, exit_code);
  return faultline::run_command_line(app, argc, argv, exit_code);
}
