// faultline: the controller. Each subcommand lives in its own *_command.cc; `serve` runs in
// faultline-serve (command.h says why). Start-up is most of a short `faultline check`, so only
// the command named is built (its options are many); `faultline --help` builds them all.
#include <string_view>

#include <CLI/CLI.hpp>

#include "command.h"

namespace {

void add_serve_listing(CLI::App& app, int&) {
  app.add_subcommand("serve", faultline::serve_command_description);  // run by faultline-serve
}

struct Command {
  std::string_view name;
  void (*add)(CLI::App&, int&);
};

constexpr Command commands[] = {
    {"test", faultline::add_test_command},         {"replay", faultline::add_replay_command},
    {"shrink", faultline::add_shrink_command},     {"analyze", faultline::add_analyze_command},
    {"report", faultline::add_report_command},     {"serve", add_serve_listing},
    {"check", faultline::add_check_command},       {"generate", faultline::add_generate_command},
    {"suite", faultline::add_suite_command},       {"suite-merge", faultline::add_suite_merge_command},
    {"cleanup", faultline::add_cleanup_command},
};

}  // namespace

int main(int argc, char** argv) {
  const std::string_view named = argc > 1 ? argv[1] : "";
  if (named == "serve") return faultline::exec_serve_program(argc, argv);
  CLI::App app{"faultline: a Jepsen-style consistency testing harness.\n"
               "Run `faultline COMMAND --help` for the options of a command."};
  app.set_version_flag("--version", std::string("faultline ") + FAULTLINE_VERSION);
  app.require_subcommand(1);
  int exit_code = faultline::exit_valid;
  bool known = false;
  for (const Command& command : commands) known = known || command.name == named;
  for (const Command& command : commands)
    if (!known || command.name == named) command.add(app, exit_code);
  return faultline::run_command_line(app, argc, argv, exit_code);
}
