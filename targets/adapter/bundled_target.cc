#include "bundled_target.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "http_connection.h"
#include "http_kv_client.h"

namespace faultline {

TargetResult<std::unique_ptr<BundledTarget>> BundledTarget::create(BundledOptions options) {
  if (const std::string problem = validate_bundled_options(options); !problem.empty())
    return std::unexpected(TargetError{problem});
  if (auto created = create_node_directories(options.directory); !created) return std::unexpected(created.error());
  return std::unique_ptr<BundledTarget>(new BundledTarget(std::move(options)));
}

namespace {

LocalClusterSpec local_cluster_spec(const BundledOptions& options) {
  LocalClusterSpec spec;
  spec.ids = bundled_node_ids(options.nodes);
  spec.log_directory = options.directory / "nodes";
  spec.place_nodes = options.place_nodes;
  spec.process_factory = options.process_factory;
  spec.ports = options.ports;
  spec.exit_code_cannot_listen = node_exit_cannot_listen;
  spec.data_directory = options.directory / "data";  // bundled_node_arguments' --data-dir
  use_lazyfs_disks(spec, options.directory, options.lazyfs_program);
  spec.process_for = [options](std::size_t index, const std::vector<LocalNode>& nodes) {
    std::vector<NodePlacement> placements;
    for (const LocalNode& node : nodes) placements.push_back(node.placement);
    return ProcessSpec{options.node_binary, bundled_node_arguments(options, index, placements), {}};
  };
  return spec;
}

}  // namespace

BundledTarget::BundledTarget(BundledOptions options)
    : LocalClusterTarget(local_cluster_spec(options)), options_(std::move(options)) {}

std::unique_ptr<KvClient> BundledTarget::client(const std::string& node) const {
  return std::make_unique<HttpKvClient>(base_url(node), options_.request_timeout_ms, connect_timeout_ms,
                                        client_network_namespace(node));
}

nlohmann::json BundledTarget::describe() const {
  std::vector<NodePlacement> placements;
  for (const LocalNode& node : cluster_.nodes()) placements.push_back(node.placement);
  nlohmann::json described = describe_bundled_options(options_, placements);
  described["version"] = FAULTLINE_VERSION;  // faultline-node is built with faultline, one version
  return described;
}

TargetResult<void> BundledTarget::set_clock_offset(const std::string& node, std::int64_t offset_ms) {
  HttpConnection connection(base_url(node), clock_request_timeout_ms, clock_request_timeout_ms,
                            client_network_namespace(node));
  const HttpExchange exchange =
      connection.request("POST", "/admin/clock", nlohmann::json{{"offset_ms", offset_ms}}.dump());
  if (exchange.delivery == Delivery::answered && exchange.status == 200) return {};
  const std::string why = exchange.delivery == Delivery::answered
                              ? "answered " + std::to_string(exchange.status) + ": " + exchange.body
                              : exchange.error;
  return std::unexpected(TargetError{"set the clock of " + node + " to " + std::to_string(offset_ms) + " ms: " + why});
}

}  // namespace faultline
