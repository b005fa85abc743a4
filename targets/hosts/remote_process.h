// A node's process on a host of a --hosts run (SupervisedProcess over SSH). The controller keeps
// what it knows of the process; the host keeps the rest:
//
//   <remote run directory>/nodes/<id>.log    its stdout and stderr (appended, like a local node's)
//   <remote run directory>/nodes/<id>.exit   its exit code, written by its wrapper when it exits
//   <remote run directory>/nodes/<id>.pid    its process group id, for the sweep of a run whose
//                                            controller died (host_set.h)
//
// It runs as `setsid sh -c 'trap : TERM; PROGRAM ARGS; echo $? > <id>.exit'` (the wrapper lives
// until the program has exited, also after a SIGTERM to the group), started in the background of
// an SSH session: the wrapper's pid is the process group that every signal goes to (kill -9,
// STOP, CONT, TERM to -PGID), recorded when it starts, never looked up by name. Paths in its
// arguments that lie in the local run directory are rewritten to the same place in the remote
// run directory, which mirrors it (data/<id>, nodes/<id>.log).
//
// A pid on a host cannot be reused while the controller believes the process is running: the
// controller signals it only until it has seen it gone (is_running false, kill, wait_for_exit).
//
// Not thread-safe: the owner (LocalCluster) serializes calls.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "adapter/supervised_process.h"
#include "ssh_host.h"

namespace faultline {

class RemoteProcess final : public SupervisedProcess {
 public:
  // `spec` as LocalCluster made it (local paths); `remote_binary` is the program on the host.
  RemoteProcess(std::shared_ptr<const SshHost> host, ProcessSpec spec, std::filesystem::path local_run_directory,
                std::string remote_run_directory, std::string remote_binary);
  ~RemoteProcess() override;  // kill, when still running

  TargetResult<void> start() override;
  void kill() override;
  void pause() override;
  void resume() override;
  void request_termination() override;
  bool wait_for_exit(std::chrono::steady_clock::time_point deadline) override;
  bool is_running() override;
  std::optional<int> exit_code() const override { return exit_code_; }
  std::string status_text() const override;
  pid_t pid() const override { return running_ ? pid_ : -1; }
  std::string log_tail(std::size_t bytes_max) const override;

  // The shell command that starts it on the host and prints the wrapper's pid (pure; tests).
  std::string start_command() const;
  // `text` with the local run directory replaced by the remote one.
  std::string on_host(const std::string& text) const;

 private:
  void signal_group(const char* signal_name);
  void learn_exit();

  std::shared_ptr<const SshHost> host_;
  ProcessSpec spec_;
  std::string local_run_directory_;
  std::string remote_run_directory_;
  std::string remote_binary_;
  std::string remote_log_, remote_exit_file_, remote_pid_file_;
  pid_t pid_ = -1;
  bool running_ = false;
  bool killed_ = false;
  std::optional<int> exit_code_;
};

// The shell test that process `pid` exists on the host and is not a zombie (pure; tests).
std::string process_alive_test(pid_t pid);

}  // namespace faultline
