// A cluster of local OS processes, one per node: the lifecycle every target that runs its
// nodes on this machine shares (the bundled node, etcd, a user's own system). It chooses free
// ports, asks the network where each node sits (NodePlacer: loopback, proxies, namespaces),
// starts every node under its launch prefix and waits until each answers its health check,
// restarts one on the same ports and data, kills (SIGKILL, reaped), pauses and resumes
// (SIGSTOP/SIGCONT to its process group), cuts a node's power (its data directory on a
// faultline-lazyfs mount, when the spec asks for one), and stops them all on every way out. Logs go to
// <log_directory>/<id>.log. What differs between targets is given as data and functions
// (LocalClusterSpec): the command line of a node, where its clients connect, its health path.
//
// Errors (TargetError) name the node, say what happened to its process and quote the tail of
// its log: a node that exits at once, one that never answers its health check in time, a
// binary that cannot be executed.
//
// Thread-safe: one mutex serializes process control (a nemesis thread and the main thread
// may both call in).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapter_limits.h"
#include "lazyfs_mount.h"
#include "node_placement.h"
#include "node_process.h"
#include "supervised_process.h"
#include "target.h"

namespace faultline {

// Where one node sits once the cluster is placed.
struct LocalNode {
  NodePlacement placement;                  // from the network (its one placed port)
  std::vector<std::uint16_t> extra_ports;   // more free ports of its own (etcd: the client port)
  std::string client_address;               // "HOST:PORT" clients and health checks dial
};

struct LocalClusterSpec {
  std::vector<std::string> ids;
  std::filesystem::path log_directory;      // <id>.log; must exist
  NodePlacer place_nodes;                   // empty: plain loopback
  std::size_t extra_ports_per_node = 0;
  // The program and arguments of node `index` (without the placement's launch prefix); the
  // log is filled in by the cluster.
  std::function<ProcessSpec(std::size_t index, const std::vector<LocalNode>& nodes)> process_for;
  // Where clients of a node connect; empty: its placement's client address.
  std::function<std::string(const LocalNode& node)> client_address_of;
  std::string start_health_path = "/health";    // every node answers 200 here once the cluster serves
  std::string restart_health_path = "/health";  // one restarted node answers 200 here
  // A node that is not checked over HTTP: whether `node` answers `check` (start_health_path or
  // restart_health_path, which then name what the probe asks) as a healthy node does. It must
  // return within health_request_timeout_ms.
  std::function<bool(const LocalNode& node, const std::string& check)> health_probe;
  std::int64_t start_timeout_ms = node_start_timeout_ms;
  std::int64_t stop_grace_ms = node_stop_grace_ms;  // SIGTERM, then SIGKILL after this long
  // The exit code of a node that could not bind its port; start_all retries with fresh ports.
  std::optional<int> exit_code_cannot_listen;
  std::vector<std::uint16_t> ports;          // one per node; empty: free loopback ports are chosen
  // The power-loss nemesis: with a lazyfs program, node i's data directory
  // <data_directory>/<id> is a faultline-lazyfs mount of <disk_directory>/<id> (what survives a
  // power loss), mounted before the node starts and unmounted when it stops for good; its log is
  // <log_directory>/<id>.lazyfs.log. Empty: plain directories, and lose_power is refused.
  std::filesystem::path lazyfs_program;
  // Node i keeps its data in <data_directory>/<id> (the corrupt nemesis changes files there);
  // empty: the harness does not know where, and corrupt_files is refused.
  std::filesystem::path data_directory;
  std::filesystem::path disk_directory;
  // Where the nodes run: empty, local children of the controller (NodeProcess); with --hosts,
  // processes on other hosts over SSH (targets/hosts), started from the same ProcessSpec.
  ProcessFactory process_factory;
};

class LocalCluster {
 public:
  explicit LocalCluster(LocalClusterSpec spec);
  ~LocalCluster();  // stop_all
  LocalCluster(const LocalCluster&) = delete;
  LocalCluster& operator=(const LocalCluster&) = delete;

  const std::vector<std::string>& ids() const { return spec_.ids; }
  TargetResult<void> start_all();
  TargetResult<void> restart(const std::string& node);
  void kill(const std::string& node);
  void pause(const std::string& node);
  void resume(const std::string& node);
  // SIGKILL, then the node's disk drops what was not fsynced and is mounted again; the node
  // stays down until restart. Errors: no lazyfs disks (spec), or the disk did not come back.
  TargetResult<void> lose_power(const std::string& node);
  // SIGKILL, then `corruption` done to the node's data directory; the node stays down until
  // restart. Returns what was done. Errors: no data directory in the spec, a file not changed.
  TargetResult<nlohmann::json> corrupt_files(const std::string& node, const FileCorruption& corruption);
  bool is_running(const std::string& node) const;
  // Stops every node, then unmounts their disks.
  void stop_all() noexcept;

  // Where the nodes sit; empty before start_all.
  std::vector<LocalNode> nodes() const;
  // "http://HOST:PORT" where clients reach `node`, and the namespace they dial from (empty:
  // ours). Throws std::logic_error before start_all (a programmer error).
  std::string base_url(const std::string& node) const;
  std::string client_network_namespace(const std::string& node) const;
  std::optional<pid_t> process_id(const std::string& node) const;
  std::filesystem::path log_path(const std::string& node) const;
  // The node's position in ids(); throws std::invalid_argument for an unknown id.
  std::size_t index_of(const std::string& node) const;

 private:
  void create_processes();
  void stop_all_locked() noexcept;
  TargetResult<void> mount_disk_locked(std::size_t index);
  TargetResult<void> wait_healthy(const std::vector<std::size_t>& indexes, const std::string& path,
                                  bool& exited_cannot_listen);
  TargetError node_error(std::size_t index, const std::string& what) const;

  LocalClusterSpec spec_;
  std::vector<std::uint16_t> ports_;
  std::vector<LocalNode> nodes_;  // one per node once start_all placed them
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<SupervisedProcess>> processes_;  // empty until start_all
  std::vector<std::unique_ptr<LazyfsMount>> disks_;       // one per node with a lazyfs program
};

// A Target whose nodes are a LocalCluster: the process control every local target shares.
// A target adds its clients and its description (and what else it can do, like clocks).
class LocalClusterTarget : public Target {
 public:
  explicit LocalClusterTarget(LocalClusterSpec spec) : cluster_(std::move(spec)) {}

  std::vector<std::string> node_ids() const override { return cluster_.ids(); }
  TargetResult<void> start_all() override { return cluster_.start_all(); }
  TargetResult<void> restart(const std::string& node) override { return cluster_.restart(node); }
  void kill(const std::string& node) override { cluster_.kill(node); }
  void pause(const std::string& node) override { cluster_.pause(node); }
  void resume(const std::string& node) override { cluster_.resume(node); }
  TargetResult<void> lose_power(const std::string& node) override { return cluster_.lose_power(node); }
  TargetResult<nlohmann::json> corrupt_files(const std::string& node, const FileCorruption& corruption) override {
    return cluster_.corrupt_files(node, corruption);
  }
  bool is_running(const std::string& node) const override { return cluster_.is_running(node); }
  void stop_all() noexcept override { cluster_.stop_all(); }
  std::filesystem::path log_path(const std::string& node) const override { return cluster_.log_path(node); }

 protected:
  LocalCluster cluster_;
};

// The power-loss nemesis's layout in a run's `directory`: node data directories data/<id> on
// faultline-lazyfs mounts of disks/<id>. An empty `lazyfs_program` leaves `spec` as it is.
void use_lazyfs_disks(LocalClusterSpec& spec, const std::filesystem::path& directory,
                      const std::filesystem::path& lazyfs_program);

// Creates <directory>/data and <directory>/nodes, where local targets keep their nodes' data
// and logs. Errors: what could not be created.
TargetResult<void> create_node_directories(const std::filesystem::path& directory);

// `program` itself when it has a slash, else the first executable of that name on PATH (or
// `program` unchanged, so that starting it reports the error).
std::filesystem::path find_program(const std::string& program);

// The address the other nodes dial for node `index` (its placed port): what its peers' placements
// name for `id`, the same for every peer (loopback, netns); with one node, its own listen address.
std::string advertised_peer_address(const std::vector<LocalNode>& nodes, const std::string& id, std::size_t index);

// "HOST" of "HOST:PORT".
inline std::string host_of(const std::string& address) { return address.substr(0, address.rfind(':')); }

// "http://" + address.
inline std::string http_url(const std::string& address) { return "http://" + address; }

}  // namespace faultline
