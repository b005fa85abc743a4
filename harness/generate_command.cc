#include <CLI/CLI.hpp>

#include "command.h"

namespace faultline {
void add_generate_command(CLI::App& app, int& exit_code) {}
}  // namespace faultline
