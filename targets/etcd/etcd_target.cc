#include "etcd_target.h"

#include <cassert>

#include "adapter/adapter_limits.h"
#include "etcd_kv_client.h"

namespace faultline {
namespace {

// etcd takes seconds to stop on SIGTERM; its data is thrown away after the run, so it gets
// little grace before SIGKILL.
constexpr std::int64_t etcd_stop_grace_ms = 1'000;

std::string port_of(const std::string& address) { return address.substr(address.rfind(':') + 1); }


LocalClusterSpec local_cluster_spec(const EtcdOptions& options) {
  LocalClusterSpec spec;
  spec.ids = cluster_node_ids(options.nodes);
  spec.log_directory = options.directory / "nodes";
  spec.place_nodes = options.place_nodes;
  spec.process_factory = options.process_factory;
  spec.extra_ports_per_node = 1;  // the client port
  spec.process_for = [options](std::size_t index, const std::vector<LocalNode>& nodes) {
    return ProcessSpec{options.binary, etcd_member_arguments(options, index, nodes), {}};
  };
  spec.client_address_of = [](const LocalNode& node) {
    return host_of(node.placement.client_address) + ":" + std::to_string(node.extra_ports.at(0));
  };
  spec.start_health_path = "/health";    // 200 once the cluster has a leader
  spec.restart_health_path = "/version";  // one member serving; it may be cut off from a leader
  spec.stop_grace_ms = etcd_stop_grace_ms;
  return spec;
}

}  // namespace

std::vector<std::string> etcd_member_arguments(const EtcdOptions& options, std::size_t index,
                                               const std::vector<LocalNode>& nodes) {
  assert(index < nodes.size() && !nodes[index].extra_ports.empty());
  const std::vector<std::string> ids = cluster_node_ids(static_cast<int>(nodes.size()));
  const LocalNode& node = nodes[index];
  const std::string listen_host = host_of(node.placement.listen_address);
  const std::string client_port = std::to_string(node.extra_ports[0]);
  std::string cluster;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    cluster += (cluster.empty() ? "" : ",") + ids[i] + "=http://" + advertised_peer_address(nodes, ids[i], i);
  return {"--name", ids[index],
          "--data-dir", (options.directory / "data" / ids[index]).string(),
          "--listen-peer-urls", "http://" + node.placement.listen_address,
          "--initial-advertise-peer-urls", "http://" + advertised_peer_address(nodes, ids[index], index),
          "--listen-client-urls", "http://" + listen_host + ":" + client_port,
          "--advertise-client-urls", "http://" + host_of(node.placement.client_address) + ":" + client_port,
          "--initial-cluster", cluster,
          "--initial-cluster-state", "new",
          "--initial-cluster-token", "faultline-" + port_of(nodes[0].placement.listen_address)};
}

std::string etcd_version_of(const std::string& output) {
  const std::string marker = "etcd Version: ";
  const std::size_t at = output.find(marker);
  if (at == std::string::npos) return "";
  const std::size_t start = at + marker.size(), end = output.find_first_of("\r\n", start);
  return output.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TargetResult<std::unique_ptr<EtcdTarget>> EtcdTarget::create(EtcdOptions options) {
  if (auto created = create_node_directories(options.directory); !created) return std::unexpected(created.error());
  return std::unique_ptr<EtcdTarget>(new EtcdTarget(std::move(options)));
}

EtcdTarget::EtcdTarget(EtcdOptions options)
    : LocalClusterTarget(local_cluster_spec(options)), options_(std::move(options)) {}

std::unique_ptr<KvClient> EtcdTarget::client(const std::string& node) const {
  return std::make_unique<EtcdKvClient>(cluster_.base_url(node), options_.serializable_reads, options_.request_timeout_ms,
                                        connect_timeout_ms, cluster_.client_network_namespace(node));
}

nlohmann::json EtcdTarget::describe() const {
  nlohmann::json members = nlohmann::json::array();
  const std::vector<LocalNode> nodes = cluster_.nodes();
  for (std::size_t i = 0; i < cluster_.ids().size(); ++i) {
    nlohmann::json member = {{"id", cluster_.ids()[i]}};
    if (i < nodes.size()) {
      member["peer_address"] = advertised_peer_address(nodes, cluster_.ids()[i], i);
      member["client_address"] = nodes[i].client_address;
    }
    members.push_back(member);
  }
  return {{"target", "etcd"},
          {"binary", options_.binary.string()},
          {"version", options_.version},
          {"etcd_reads", options_.serializable_reads ? "serializable" : "linearizable"},
          {"nodes", members},
          {"request_timeout_ms", options_.request_timeout_ms},
          {"network", options_.network}};
}

}  // namespace faultline
