// One node's process as a cluster supervises it, wherever it runs: a local child of the
// controller (node_process.h), or a process on another host started over SSH
// (targets/hosts/remote_process.h). LocalCluster drives every node through this interface, so
// the lifecycle (start and wait for health, restart on the same data, kill, pause, stop) is
// one piece for both.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "target.h"

namespace faultline {

struct ProcessSpec {
  std::filesystem::path binary;
  std::vector<std::string> arguments;
  std::filesystem::path log;  // appended to; its directory must exist
  // Variables set for the node on top of the controller's own (ZooKeeper: libfaketime's).
  std::vector<std::pair<std::string, std::string>> environment = {};
};

class SupervisedProcess {
 public:
  virtual ~SupervisedProcess() = default;

  // Starts the process. Errors: it cannot be started (said for people), or it is already running.
  virtual TargetResult<void> start() = 0;
  // SIGKILL to its process group; returns once it is gone. No-op when not running.
  virtual void kill() = 0;
  // SIGSTOP / SIGCONT to its process group. No-op when not running.
  virtual void pause() = 0;
  virtual void resume() = 0;
  // SIGCONT then SIGTERM to the group; does not wait. Pair with wait_for_exit.
  virtual void request_termination() = 0;
  // Waits until the process exits or `deadline`. True when it is gone.
  virtual bool wait_for_exit(std::chrono::steady_clock::time_point deadline) = 0;
  // Whether the process exists (a paused process is running).
  virtual bool is_running() = 0;
  // Once it has ended: its exit code, or 128 + the signal that ended it (when known).
  virtual std::optional<int> exit_code() const = 0;
  // "exited with code 4", "killed by signal 9", "running", "not started".
  virtual std::string status_text() const = 0;
  // Its process (group) id where it runs, while running; else -1.
  virtual pid_t pid() const = 0;
  // The last `bytes_max` bytes of its log, starting at a line.
  virtual std::string log_tail(std::size_t bytes_max) const = 0;
};

// Makes the process of node `index` from its spec: where a cluster's nodes run. Empty in a
// LocalClusterSpec: local children (NodeProcess).
using ProcessFactory = std::function<std::unique_ptr<SupervisedProcess>(std::size_t index, ProcessSpec spec)>;

}  // namespace faultline
