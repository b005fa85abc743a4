// The two 3-node clusters the benchmark measures, each on loopback with its data under a
// directory the caller owns (and removes). Starting waits until every node answers; a node
// that never does throws std::runtime_error carrying its log. Destroying a cluster stops the
// processes it started, by PID, and only those; they also die with the benchmark
// (PR_SET_PDEATHSIG), so none outlives a crash.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "../tests/node_process.h"

namespace faultline::bench {

inline constexpr std::size_t cluster_size = 3;
inline constexpr std::int64_t cluster_start_deadline_ms = 20'000;

// CPU time (user + system) the processes have used so far, from /proc/PID/stat.
double cpu_ms(const std::vector<pid_t>& pids);

// `count` distinct loopback ports that were free a moment ago.
std::vector<std::uint16_t> free_ports(std::size_t count);

// faultline-node processes (build/bin/faultline-node), client API on /kv.
class FaultlineCluster {
 public:
  // `node_flags`: more flags for every node (e.g. --no-fast-path).
  FaultlineCluster(const std::filesystem::path& dir, const std::string& protocol, bool fsync,
                   const std::vector<std::string>& node_flags = {});
  std::vector<std::string> urls() const;
  // fsyncs of the acceptor logs so far, summed over the nodes (from GET /status).
  std::uint64_t fsyncs() const;
  // The node processes: this process's children running the faultline-node binary.
  std::vector<pid_t> pids() const;

 private:
  std::vector<std::unique_ptr<faultline::testing::NodeProcess>> nodes_;
};

// etcd members (Debian's etcd-server 3.4), default settings but for the ports and data dirs:
// the WAL is fsynced, heartbeat 100 ms, election timeout 1 s. Clients use the JSON gateway.
class EtcdCluster {
 public:
  EtcdCluster(const std::filesystem::path& dir, const std::string& etcd_binary);
  ~EtcdCluster();  // SIGTERM each member, SIGKILL after a grace period, reap
  EtcdCluster(const EtcdCluster&) = delete;
  EtcdCluster& operator=(const EtcdCluster&) = delete;
  std::vector<std::string> urls() const;
  // WAL fsyncs so far, summed over the members (etcd_disk_wal_fsync_duration_seconds_count
  // in GET /metrics). The bbolt backend's own periodic commits are not counted.
  std::uint64_t fsyncs() const;
  std::string version() const { return version_; }
  std::vector<pid_t> pids() const { return pids_; }

 private:
  void wait_healthy(const std::filesystem::path& dir);
  void stop();

  std::vector<pid_t> pids_;
  std::vector<std::string> client_urls_;
  std::string version_;
};

}  // namespace faultline::bench
