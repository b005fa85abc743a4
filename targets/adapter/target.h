// A system under test, as the harness sees it: nodes it can start, kill, pause, resume and
// stop, and clients that talk to them. The bundled cluster (bundled_target.h) is the first
// implementation; an external system (etcd from Debian's packages: its own binary, data
// directories and JSON API) is another implementation of the same interface, so the
// harness never changes for a new target.
//
// Errors from the environment (a binary missing, a port in use, a node that never became
// healthy) are values: TargetError, whose message says what and where.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "file_corruption.h"
#include "kv_client.h"

namespace faultline {

struct TargetError {
  std::string message;
};

template <typename T>
using TargetResult = std::expected<T, TargetError>;

class Target {
 public:
  virtual ~Target() = default;

  virtual std::vector<std::string> node_ids() const = 0;

  // Starts every node and waits until each is healthy (bounded by the target's start timeout).
  virtual TargetResult<void> start_all() = 0;
  // Starts one node again after kill or stop, on its old address and data, and waits until
  // it is healthy (bounded like start_all). An error when it is still running.
  virtual TargetResult<void> restart(const std::string& node) = 0;
  // SIGKILL to the node's process group: no cleanup, no flush. Returns once the process is
  // gone (reaped), so its port is free for the restart.
  virtual void kill(const std::string& node) = 0;
  // SIGSTOP / SIGCONT to the node's process group.
  virtual void pause(const std::string& node) = 0;
  virtual void resume(const std::string& node) = 0;
  virtual bool is_running(const std::string& node) const = 0;
  // Stops every node that is still running (resumed first, SIGTERM, SIGKILL after a grace
  // period) and waits for them. Idempotent; called on every way out of a run.
  virtual void stop_all() noexcept = 0;

  // A new client for `node`: one per logical process.
  virtual std::unique_ptr<KvClient> client(const std::string& node) const = 0;
  // Where the node's stdout and stderr go.
  virtual std::filesystem::path log_path(const std::string& node) const = 0;
  // The configuration, for test.json and reports: {"target": "bundled", "protocol": ..., ...}.
  virtual nlohmann::json describe() const = 0;

  // A power loss: SIGKILL to the node, then its data directory loses every write it did not
  // fsync (file contents; creates, renames, unlinks whose directory it did not fsync), and the
  // kernel's cache of it. The node stays down until restart. Errors: this target's data
  // directories are not on faultline-lazyfs (the run did not ask for --nemesis power-loss),
  // or the disk could not be mounted again.
  virtual TargetResult<void> lose_power(const std::string& node) {
    return std::unexpected(TargetError{"this target's data directories cannot lose power (" + node + ")"});
  }

  // A corruption of the node's data files (--nemesis corrupt): SIGKILL to the node, then
  // `corruption` done to its data directory (file_corruption.h); the node stays down until
  // restart. Returns what was done, for the history. Errors: the harness does not know where
  // this target keeps its data (the default), or a file could not be changed.
  virtual TargetResult<nlohmann::json> corrupt_files(const std::string& node, const FileCorruption& corruption) {
    (void)corruption;
    return std::unexpected(TargetError{"this target's data files are not where the harness can reach them (" + node + ")"});
  }

  // Shifts the clock the node's timestamps read by `offset_ms` from the real clock (the clock
  // nemesis; 0 resets it). Errors: the node did not take it (down, paused, no such feature).
  virtual TargetResult<void> set_clock_offset(const std::string& node, std::int64_t offset_ms) {
    (void)offset_ms;
    return std::unexpected(TargetError{"this target cannot set the clock of " + node});
  }
};

}  // namespace faultline
