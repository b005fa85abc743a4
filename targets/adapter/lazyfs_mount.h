// One node's data directory on a faultline-lazyfs mount (nemesis/lazyfs/README.md): the
// directory the node writes is a FUSE view of a backing directory that holds only what was
// fsynced. The power-loss nemesis's applier uses it: kill the node, lose_power (un-fsynced
// data dropped), then unmount and mount again, so that the kernel keeps nothing either.
//
// The daemon is a supervised process (node_process.h): it dies with the controller, and a
// mount whose daemon died is detached by sweep_dead_lazyfs_mounts (faultline cleanup and
// every run's start). Errors (TargetError) name the mount point and quote the daemon's log.
//
// Not thread-safe: the owner (LocalCluster) serializes calls.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "node_process.h"
#include "target.h"

namespace faultline {

class LazyfsMount {
 public:
  // Nothing happens until mount().
  LazyfsMount(std::filesystem::path program, std::filesystem::path backing, std::filesystem::path mount_point,
              std::filesystem::path log);
  ~LazyfsMount();  // unmount
  LazyfsMount(const LazyfsMount&) = delete;
  LazyfsMount& operator=(const LazyfsMount&) = delete;

  // Creates both directories, starts the daemon and waits until the mount serves. No-op when
  // mounted. Errors: the daemon exited or did not serve in time (no /dev/fuse, not root).
  TargetResult<void> mount();
  // Drops every un-fsynced change (the control file's command); returns once it is done.
  TargetResult<void> lose_power();
  // SIGTERM to the daemon (it unmounts), then SIGKILL and a lazy unmount after the grace period.
  void unmount() noexcept;
  bool mounted() const { return daemon_ && mounted_; }
  const std::filesystem::path& mount_point() const { return mount_point_; }
  // The daemon's process id while it runs, else -1 (for tests that kill it).
  pid_t daemon_pid() const { return daemon_ ? daemon_->pid() : -1; }

 private:
  std::filesystem::path program_, backing_, mount_point_, log_;
  std::unique_ptr<NodeProcess> daemon_;
  bool mounted_ = false;
};

// Why faultline-lazyfs cannot mount here (not root, no usable /dev/fuse), for the user; empty
// when it can.
std::string lazyfs_unavailable_reason();

// Whether `path` is the mount point of a faultline-lazyfs mount now (/proc/self/mountinfo).
bool is_lazyfs_mount_point(const std::filesystem::path& path);

struct LazyfsSweep {
  std::vector<std::string> removed;  // mount points detached
  std::vector<std::string> errors;
};
// Detaches every faultline-lazyfs mount whose daemon is gone (its mount point answers
// ENOTCONN): what a controller killed with SIGKILL leaves. Mounts of runs still going answer
// and are left alone. With `under`, also every lazyfs mount below that directory, alive or not
// (a run's own mounts at its end).
LazyfsSweep sweep_dead_lazyfs_mounts(const std::filesystem::path& under = {});

}  // namespace faultline
