// What both programs (faultline, faultline-serve) do with a command line, and how faultline hands
// `serve` to faultline-serve (command.h).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "command.h"

namespace faultline {

int run_command_line(CLI::App& app, int argc, char** argv, const int& exit_code) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? exit_valid : exit_input_error;
  }
  return exit_code;
}

int exec_serve_program(int argc, char** argv) {
  std::error_code error;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  const std::string program = (self.parent_path() / "faultline-serve").string();
  std::vector<char*> arguments = {const_cast<char*>(program.c_str())};
  for (int i = 1; i < argc; ++i) arguments.push_back(argv[i]);
  arguments.push_back(nullptr);
  execv(program.c_str(), arguments.data());
  std::cerr << "faultline serve: cannot run " << program << ": " << std::strerror(errno)
            << " (it is built beside faultline: scripts/build)\n";
  return exit_input_error;
}

}  // namespace faultline
