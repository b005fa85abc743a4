// One supervised OS process: a faultline-node (or any program) that the controller started.
//
// It runs in its own process group, so signals reach it and nothing else; it gets SIGKILL if
// the controller dies (PR_SET_PDEATHSIG, forked on the launcher thread: launcher_thread.h);
// stdin is /dev/null and stdout+stderr are appended to a log file. Only this process's group
// is ever signalled, and only while its leader is not yet reaped, so its id cannot have been
// reused by another process.
//
// Not thread-safe: the owner (BundledTarget) serializes calls.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "supervised_process.h"
#include "target.h"

namespace faultline {

class NodeProcess final : public SupervisedProcess {
 public:
  explicit NodeProcess(ProcessSpec spec);
  // SIGKILL to the group and reap, when still running.
  ~NodeProcess() override;
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  // Starts the process. Errors: the binary is missing or not executable, the log cannot be
  // opened, fork or exec failed, or it is already running.
  TargetResult<void> start() override;

  // SIGKILL to the group, then reap. No-op when not running.
  void kill() override;
  // SIGSTOP / SIGCONT to the group. No-op when not running.
  void pause() override;
  void resume() override;
  // SIGCONT then SIGTERM to the group; does not wait. Pair with wait_for_exit.
  void request_termination() override;
  // Waits until the process exits or `deadline`; reaps it. True when it is gone.
  bool wait_for_exit(std::chrono::steady_clock::time_point deadline) override;
  // request_termination, wait up to `grace`, then kill.
  void terminate(std::chrono::milliseconds grace);

  // Whether the process exists (a paused process is running). Reaps it when it has exited.
  bool is_running() override;
  bool is_paused() const { return paused_; }
  // After the process was reaped: its exit code, or 128 + the signal that ended it.
  std::optional<int> exit_code() const override { return exit_code_; }
  // "exited with code 4", "killed by signal 9", "running", "not started".
  std::string status_text() const override;
  // The group id (= the process id) while running, else -1.
  pid_t pid() const override { return pid_; }

  const ProcessSpec& spec() const { return spec_; }
  // The last `bytes_max` bytes of the log, starting at a line.
  std::string log_tail(std::size_t bytes_max) const override;

 private:
  struct Child;  // Boost.Process stays in the .cc
  void signal_group(int signal_number);
  void reap();

  ProcessSpec spec_;
  std::unique_ptr<Child> child_;
  pid_t pid_ = -1;
  int pidfd_ = -1;  // readable once the process exits: bounded waits without polling
  bool paused_ = false;
  std::optional<int> exit_code_;
};

// The last `bytes_max` bytes of the file at `path`, from the start of a line; empty when unreadable.
std::string read_file_tail(const std::filesystem::path& path, std::size_t bytes_max);

}  // namespace faultline
