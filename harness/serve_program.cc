#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "command.h"

namespace faultline {

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
