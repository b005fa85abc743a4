// etcd (Raft; Debian's etcd-server 3.4) as a system under test: N members as local processes,
// a fresh cluster every run, each with its data directory in <run>/data/<id> and its log in
// <run>/nodes/<id>.log; clients over etcd's v3 JSON gateway (etcd_kv_client.h).
//
// Each member gets two ports: the placed one for its peers (what the network backend cuts) and
// one of its own for clients. etcd members dial the peer URLs they advertise to each other, so
// only a placement where every peer dials the same address for a member can be used (loopback
// or netns); the kind refuses per-link proxies before anything starts.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapter/adapter_limits.h"
#include "adapter/local_cluster.h"
#include "adapter/target.h"

namespace faultline {

struct EtcdOptions {
  int nodes = 3;
  std::filesystem::path binary = "/usr/bin/etcd";
  bool serializable_reads = false;  // --etcd-reads serializable: a member answers reads from its own state
  std::filesystem::path directory;  // data/<id>/ and nodes/<id>.log go here
  NodePlacer place_nodes;           // empty: plain loopback
  ProcessFactory process_factory;   // where the members run; empty: here (local_cluster.h)
  std::string network = "loopback";
  std::string version;              // "3.4.23", for test.json
  std::int64_t request_timeout_ms = faultline::request_timeout_ms;  // clients' patience
};

// The command line of member `index` (0-based) of a cluster placed as `nodes`. Pure.
std::vector<std::string> etcd_member_arguments(const EtcdOptions& options, std::size_t index,
                                               const std::vector<LocalNode>& nodes);

// "3.4.23" from `etcd --version`'s first line "etcd Version: 3.4.23"; empty when it has none.
std::string etcd_version_of(const std::string& version_output);

class EtcdTarget final : public LocalClusterTarget {
 public:
  // Creates the directory layout; starts nothing. Errors: a directory cannot be created.
  static TargetResult<std::unique_ptr<EtcdTarget>> create(EtcdOptions options);

  std::unique_ptr<KvClient> client(const std::string& node) const override;
  nlohmann::json describe() const override;

 private:
  explicit EtcdTarget(EtcdOptions options);
  EtcdOptions options_;
};

}  // namespace faultline
