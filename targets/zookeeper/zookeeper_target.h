// ZooKeeper (Zab; Debian's zookeeper 3.8 on a JRE) as a system under test: N servers as local
// JVM processes started from Debian's jars, a fresh ensemble every run, each with a generated
// zoo.cfg and its data directory (with myid) in <run>/data/<id>, its log in <run>/nodes/<id>.log.
//
// Each server gets three ports: the placed one (what the network backend cuts) for the quorum's
// followers, and two of its own for leader election and for clients. A server dials the
// addresses zoo.cfg names, the same for every peer, so per-link proxies cannot cut one link
// (the kind refuses them; partitions use network namespaces). Health: a server serves when it
// answers the four-letter word `srvr` with its mode (leader or follower); a restarted one is up
// when it answers `ruok`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapter/adapter_limits.h"
#include "adapter/local_cluster.h"
#include "adapter/target.h"

namespace faultline {

struct ZooKeeperOptions {
  int nodes = 3;
  std::filesystem::path java = "/usr/bin/java";
  std::string classpath = "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar";
  bool sync_reads = false;           // --zookeeper-reads sync: sync before every read
  std::filesystem::path directory;   // data/<id>/ and nodes/<id>.log go here
  NodePlacer place_nodes;            // empty: plain loopback
  std::string network = "loopback";
  std::string version;               // "3.8.0", for test.json
  std::int64_t request_timeout_ms = faultline::request_timeout_ms;
  // libfaketime (LD_PRELOAD), which shifts the wall clock the JVM reads through libc; empty:
  // clocks stay real (the kind preloads it only into runs with clock faults).
  std::filesystem::path faketime_library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
};

// What libfaketime reads to shift a server's wall clock (FAKETIME_TIMESTAMP_FILE): the offset
// in seconds, "+1.500" or "-0.250". Pure.
std::string faketime_offset_text(std::int64_t offset_ms);
// The environment of a server whose clock offset is read from `offset_file`: libfaketime
// preloaded, the file read again at most once a second (FAKETIME_CACHE_DURATION=1: reading it on
// every call, FAKETIME_NO_CACHE, slowed the JVM so much that an ensemble did not start in 40 s),
// and the monotonic clock left alone (OpenJDK hangs when it is faked; ZooKeeper times sessions
// with it). So a new offset takes effect within a second. FAKETIME_DISABLE_SHM: no shared
// memory between the servers' clocks. Even so, the preloaded library alone (offset 0) made the
// median operation 300 ms instead of 8: clock runs are slow. Pure.
std::vector<std::pair<std::string, std::string>> faketime_environment(const std::filesystem::path& library,
                                                                      const std::filesystem::path& offset_file);

// The command that prints the version of the jars on `options.classpath`. Pure.
std::vector<std::string> zookeeper_version_arguments(const ZooKeeperOptions& options);
// zoo.cfg of server `index` (0-based) of an ensemble placed as `nodes`. Pure.
std::string zookeeper_config(const ZooKeeperOptions& options, std::size_t index, const std::vector<LocalNode>& nodes);
// The java command line of server `index` (its zoo.cfg at `config`). Pure.
std::vector<std::string> zookeeper_server_arguments(const ZooKeeperOptions& options, const std::filesystem::path& config);
// "3.8.0" from what org.apache.zookeeper.version.VersionInfoMain prints ("Apache ZooKeeper,
// version 3.8.0 2024-12-29 17:54 UTC"); empty when it says no version.
std::string zookeeper_version_of(const std::string& text);

class ZooKeeperTarget final : public LocalClusterTarget {
 public:
  static TargetResult<std::unique_ptr<ZooKeeperTarget>> create(ZooKeeperOptions options);

  std::unique_ptr<KvClient> client(const std::string& node) const override;
  nlohmann::json describe() const override;
  // Rewrites the server's offset file (faketime_offset_text); libfaketime reads it at once.
  TargetResult<void> set_clock_offset(const std::string& node, std::int64_t offset_ms) override;

 private:
  explicit ZooKeeperTarget(ZooKeeperOptions options);
  ZooKeeperOptions options_;
};

// The timing of the ensemble (zoo.cfg): a short tick, so that a follower cut off from its
// leader notices within a second or two, as the faults of a short test need.
inline constexpr int zookeeper_tick_ms = 200;
inline constexpr int zookeeper_init_limit_ticks = 50;   // 10 s for a follower to sync on start
inline constexpr int zookeeper_sync_limit_ticks = 10;   // 2 s behind the leader: dropped
inline constexpr std::int64_t zookeeper_start_timeout_ms = 40'000;  // JVMs, then an election

}  // namespace faultline
