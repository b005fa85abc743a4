// The bundled target: N faultline-node processes on loopback, ids n1..nN, each told every
// other's address (or where options.place_nodes puts them: behind proxies, in network
// namespaces). Node i keeps its data in <directory>/data/<id> and its log in
// <directory>/nodes/<id>.log; a restart reuses both and the port, so it sees its old state.
//
// Errors (TargetError) name the node, say what happened to its process and quote the tail of
// its log: a node that exits at once, one that never answers GET /health in time, a binary
// that cannot be executed, a port that is taken.
// The process lifecycle is LocalCluster's (local_cluster.h); this file says what is
// bundled-only: the node's command line, its clients, its clock.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bundled_options.h"
#include "local_cluster.h"
#include "target.h"

namespace faultline {

class BundledTarget final : public LocalClusterTarget {
 public:
  // Validates `options` (the message of validate_bundled_options) and creates the directory
  // layout. Starts nothing.
  static TargetResult<std::unique_ptr<BundledTarget>> create(BundledOptions options);

  std::unique_ptr<KvClient> client(const std::string& node) const override;
  nlohmann::json describe() const override;
  TargetResult<void> set_clock_offset(const std::string& node, std::int64_t offset_ms) override;

  // "http://HOST:PORT" where clients reach `node` (known once start_all placed the nodes).
  std::string base_url(const std::string& node) const { return cluster_.base_url(node); }
  // The network namespace clients open their sockets in to reach `node` (empty: ours).
  std::string client_network_namespace(const std::string& node) const { return cluster_.client_network_namespace(node); }
  // The node's process id while it runs.
  std::optional<pid_t> process_id(const std::string& node) const { return cluster_.process_id(node); }

 private:
  explicit BundledTarget(BundledOptions options);

  BundledOptions options_;
};

}  // namespace faultline
