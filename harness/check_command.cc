#include <CLI/CLI.hpp>

#include "command.h"

namespace faultline {
void add_check_command(CLI::App& app, int& exit_code) {}
}  // namespace faultline
