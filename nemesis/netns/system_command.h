// Runs a system command (ip, iptables-restore) to completion: the argument vector is executed
// directly (no shell), `input` goes to its standard input, and what it prints (stdout and
// stderr together) comes back for error messages. Used by the netns backend; the harness asks
// it which processes are still alive.
#pragma once

#include <cstdint>
#include <optional>
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

// When process `pid` started, in clock ticks since boot (field 22 of /proc/<pid>/stat);
// nullopt when there is no such process. With the pid it names one process for good: a pid
// reused later comes with another start time.
std::optional<std::uint64_t> process_start_ticks(std::int64_t pid);

}  // namespace faultline::netns
