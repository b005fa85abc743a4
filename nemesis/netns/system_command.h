// Runs a system command (ip, iptables-restore) to completion: the argument vector is executed
// directly (no shell), `input` goes to its standard input, and what it prints (stdout and
// stderr together) comes back for error messages. Used by the netns backend only.
#pragma once

#include <string>
#include <vector>

namespace faultline::netns {

struct CommandResult {
  int exit_code = -1;  // 127: could not be executed; 128 + N: ended by signal N
  std::string output;
  bool ok() const { return exit_code == 0; }
};

CommandResult run_command(const std::vector<std::string>& arguments, const std::string& input = "");

// "ip netns add x: <output>" for messages.
std::string describe_failure(const std::vector<std::string>& arguments, const CommandResult& result);

}  // namespace faultline::netns
