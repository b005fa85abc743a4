// The bundled target: N faultline-node processes on loopback, ids n1..nN, each told every
// other's address (or where options.place_nodes puts them: behind proxies, in network
// namespaces). Node i keeps its data in <directory>/data/<id> and its log in
// <directory>/nodes/<id>.log; a restart reuses both and the port, so it sees its old state.
//
// Errors (TargetError) name the node, say what happened to its process and quote the tail of
// its log: a node that exits at once, one that never answers GET /health in time, a binary
// that cannot be executed, a port that is taken.
//
// Thread-safe: one mutex serializes process control (a nemesis thread and the main thread
// may both call in). Clients are independent of it.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bundled_options.h"
#include "node_process.h"
#include "target.h"

namespace faultline {

class BundledTarget final : public Target {
 public:
  // Validates `options` (the message of validate_bundled_options) and creates the directory
  // layout. Starts nothing.
  static TargetResult<std::unique_ptr<BundledTarget>> create(BundledOptions options);
  ~BundledTarget() override;  // stop_all

  std::vector<std::string> node_ids() const override { return ids_; }
  TargetResult<void> start_all() override;
  TargetResult<void> restart(const std::string& node) override;
  void kill(const std::string& node) override;
  void pause(const std::string& node) override;
  void resume(const std::string& node) override;
  bool is_running(const std::string& node) const override;
  void stop_all() noexcept override;
  std::unique_ptr<KvClient> client(const std::string& node) const override;
  std::filesystem::path log_path(const std::string& node) const override;
  nlohmann::json describe() const override;
  TargetResult<void> set_clock_offset(const std::string& node, std::int64_t offset_ms) override;

  // "http://HOST:PORT" where clients reach `node` (known once start_all placed the nodes).
  std::string base_url(const std::string& node) const;
  // The network namespace clients open their sockets in to reach `node` (empty: ours).
  std::string client_network_namespace(const std::string& node) const;
  // The node's process id while it runs.
  std::optional<pid_t> process_id(const std::string& node) const;

 private:
  explicit BundledTarget(BundledOptions options);
  std::size_t index_of(const std::string& node) const;  // throws std::invalid_argument for an unknown id
  void create_processes();
  void stop_all_locked() noexcept;
  // Waits for GET /health from every node in `indexes`; the error names the first node that
  // exited or did not answer by the deadline. `exited_cannot_listen` is set when a node exited
  // with the node's "cannot listen" code.
  TargetResult<void> wait_healthy(const std::vector<std::size_t>& indexes, bool& exited_cannot_listen);
  TargetError node_error(std::size_t index, const std::string& what) const;

  BundledOptions options_;
  std::vector<std::string> ids_;
  std::vector<std::uint16_t> ports_;
  std::vector<NodePlacement> placements_;  // one per node once start_all placed them
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<NodeProcess>> processes_;  // empty until start_all
};

}  // namespace faultline
