#include "zookeeper_target.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "adapter/in_network_namespace.h"
#include "zookeeper_kv_client.h"

namespace faultline {
namespace {

// A server's data is thrown away after the run: little grace before SIGKILL.
constexpr std::int64_t zookeeper_stop_grace_ms = 1'000;



std::string client_address(const LocalNode& node) {
  return host_of(node.placement.client_address) + ":" + std::to_string(node.extra_ports.at(1));
}

// Sends a four-letter word to `address` ("HOST:PORT", IPv4) and returns the answer; empty when
// it cannot connect or nothing comes back within health_request_timeout_ms.
std::string ask_four_letter_word(const std::string& address, const std::string& word, const std::string& network_namespace) {
  sockaddr_in peer{};
  peer.sin_family = AF_INET;
  peer.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(address.rfind(':') + 1))));
  if (inet_pton(AF_INET, host_of(address).c_str(), &peer.sin_addr) != 1) return "";
  int fd = -1;
  auto open_socket = [&] { fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0); };
  if (network_namespace.empty()) {
    open_socket();
  } else {
    const int ns = open_network_namespace(network_namespace);
    if (ns < 0) return "";
    in_network_namespace(ns, open_socket);
    close(ns);
  }
  if (fd < 0) return "";
  timeval timeout{0, static_cast<suseconds_t>(health_request_timeout_ms * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::string answer;
  if (connect(fd, reinterpret_cast<const sockaddr*>(&peer), sizeof peer) == 0 &&
      send(fd, word.data(), word.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(word.size())) {
    char buffer[1024];
    for (ssize_t got; (got = recv(fd, buffer, sizeof buffer, 0)) > 0;) answer.append(buffer, static_cast<std::size_t>(got));
  }
  close(fd);
  return answer;
}

std::filesystem::path offset_file(const ZooKeeperOptions& options, const std::string& id) {
  return options.directory / "data" / id / "faketime";
}

// Replaces the file whole (write, then rename), so libfaketime never reads half an offset.
bool write_offset_file(const std::filesystem::path& file, std::int64_t offset_ms) {
  const std::filesystem::path temporary = file.string() + ".new";
  {
    std::ofstream out(temporary);
    out << faketime_offset_text(offset_ms) << "\n";
    if (!out) return false;
  }
  std::error_code error;
  std::filesystem::rename(temporary, file, error);
  return !error;
}

LocalClusterSpec local_cluster_spec(const ZooKeeperOptions& options) {
  LocalClusterSpec spec;
  spec.ids = cluster_node_ids(options.nodes);
  spec.log_directory = options.directory / "nodes";
  spec.place_nodes = options.place_nodes;
  spec.extra_ports_per_node = 2;  // election, clients
  spec.process_for = [options](std::size_t index, const std::vector<LocalNode>& nodes) {
    const std::filesystem::path data = options.directory / "data" / cluster_node_ids(options.nodes)[index];
    const std::filesystem::path config = data / "zoo.cfg";
    std::filesystem::create_directories(data);
    std::ofstream(config) << zookeeper_config(options, index, nodes);
    std::ofstream(data / "myid") << index + 1 << "\n";
    ProcessSpec process{options.java, zookeeper_server_arguments(options, config), {}};
    if (!options.faketime_library.empty()) {
      const std::filesystem::path offsets = offset_file(options, cluster_node_ids(options.nodes)[index]);
      if (!std::filesystem::exists(offsets)) write_offset_file(offsets, 0);  // a restart keeps its offset
      process.environment = faketime_environment(options.faketime_library, offsets);
    }
    return process;
  };
  spec.client_address_of = client_address;
  spec.start_health_path = "srvr";  // four-letter words, not paths: see health_probe
  spec.restart_health_path = "ruok";
  spec.health_probe = [](const LocalNode& node, const std::string& word) {
    const std::string answer = ask_four_letter_word(node.client_address, word, node.placement.client_network_namespace);
    return word == "srvr" ? answer.find("Mode: leader") != std::string::npos ||
                                answer.find("Mode: follower") != std::string::npos ||
                                answer.find("Mode: standalone") != std::string::npos
                          : answer == "imok";
  };
  spec.start_timeout_ms = zookeeper_start_timeout_ms;
  spec.stop_grace_ms = zookeeper_stop_grace_ms;
  return spec;
}

}  // namespace

std::string faketime_offset_text(std::int64_t offset_ms) {
  const std::int64_t magnitude = offset_ms < 0 ? -offset_ms : offset_ms;
  char text[48];
  std::snprintf(text, sizeof text, "%c%lld.%03lld", offset_ms < 0 ? '-' : '+', static_cast<long long>(magnitude / 1000),
                static_cast<long long>(magnitude % 1000));
  return text;
}

std::vector<std::pair<std::string, std::string>> faketime_environment(const std::filesystem::path& library,
                                                                      const std::filesystem::path& offset_file) {
  return {{"LD_PRELOAD", library.string()},
          {"FAKETIME_TIMESTAMP_FILE", offset_file.string()},
          {"FAKETIME_CACHE_DURATION", "1"},
          {"FAKETIME_DISABLE_SHM", "1"},
          {"FAKETIME_DONT_FAKE_MONOTONIC", "1"}};
}

std::string zookeeper_config(const ZooKeeperOptions& options, std::size_t index, const std::vector<LocalNode>& nodes) {
  assert(index < nodes.size() && nodes[index].extra_ports.size() >= 2);
  const std::vector<std::string> ids = cluster_node_ids(static_cast<int>(nodes.size()));
  const LocalNode& node = nodes[index];
  std::string config = "# Written by faultline for server " + ids[index] + " of a fresh ensemble.\n";
  config += "tickTime=" + std::to_string(zookeeper_tick_ms) + "\n";
  config += "initLimit=" + std::to_string(zookeeper_init_limit_ticks) + "\n";
  config += "syncLimit=" + std::to_string(zookeeper_sync_limit_ticks) + "\n";
  config += "dataDir=" + (options.directory / "data" / ids[index]).string() + "\n";
  config += "clientPortAddress=" + host_of(node.placement.listen_address) + "\n";
  config += "clientPort=" + std::to_string(node.extra_ports[1]) + "\n";
  config += "admin.enableServer=false\n4lw.commands.whitelist=srvr,ruok,stat,mntr\n";
  config += "maxSessionTimeout=" + std::to_string(20 * zookeeper_tick_ms * 10) + "\n";
  if (nodes.size() > 1) {
    config += "standaloneEnabled=false\nreconfigEnabled=false\nquorumListenOnAllIPs=false\n";
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      const std::string quorum = advertised_peer_address(nodes, ids[i], i);
      config += "server." + std::to_string(i + 1) + "=" + host_of(quorum) + ":" + quorum.substr(quorum.rfind(':') + 1) +
                ":" + std::to_string(nodes[i].extra_ports[0]) + "\n";
    }
  }
  return config;
}

std::vector<std::string> zookeeper_server_arguments(const ZooKeeperOptions& options, const std::filesystem::path& config) {
  return {"-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-Dzookeeper.admin.enableServer=false",
          "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
          "-cp", options.classpath, "org.apache.zookeeper.server.quorum.QuorumPeerMain", config.string()};
}

std::vector<std::string> zookeeper_version_arguments(const ZooKeeperOptions& options) {
  return {"-cp", options.classpath, "org.apache.zookeeper.version.VersionInfoMain"};
}

std::string zookeeper_version_of(const std::string& text) {
  const std::string marker = "version ";
  const std::size_t at = text.find("ZooKeeper, version ");
  if (at == std::string::npos) return "";
  const std::size_t start = at + std::string("ZooKeeper, ").size() + marker.size();
  const std::size_t end = text.find_first_of("-, \r\n", start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

TargetResult<std::unique_ptr<ZooKeeperTarget>> ZooKeeperTarget::create(ZooKeeperOptions options) {
  if (auto created = create_node_directories(options.directory); !created) return std::unexpected(created.error());
  return std::unique_ptr<ZooKeeperTarget>(new ZooKeeperTarget(std::move(options)));
}

ZooKeeperTarget::ZooKeeperTarget(ZooKeeperOptions options)
    : LocalClusterTarget(local_cluster_spec(options)), options_(std::move(options)) {}

std::unique_ptr<KvClient> ZooKeeperTarget::client(const std::string& node) const {
  const std::vector<LocalNode> nodes = cluster_.nodes();
  ZooKeeperClientOptions client;
  client.address = nodes.at(cluster_.index_of(node)).client_address;
  client.sync_reads = options_.sync_reads;
  client.request_timeout_ms = options_.request_timeout_ms;
  client.session_timeout_ms = std::max<std::int64_t>(2 * options_.request_timeout_ms, 4 * zookeeper_tick_ms);
  client.network_namespace = cluster_.client_network_namespace(node);
  return std::make_unique<ZooKeeperKvClient>(std::move(client));
}

TargetResult<void> ZooKeeperTarget::set_clock_offset(const std::string& node, std::int64_t offset_ms) {
  if (options_.faketime_library.empty())
    return std::unexpected(TargetError{"the clocks of " + node + " are real: libfaketime is not preloaded"});
  const std::filesystem::path file = offset_file(options_, node);
  if (!write_offset_file(file, offset_ms))
    return std::unexpected(TargetError{"cannot write the clock offset of " + node + " to " + file.string()});
  return {};
}

nlohmann::json ZooKeeperTarget::describe() const {
  nlohmann::json servers = nlohmann::json::array();
  const std::vector<LocalNode> nodes = cluster_.nodes();
  for (std::size_t i = 0; i < cluster_.ids().size(); ++i) {
    nlohmann::json server = {{"id", cluster_.ids()[i]}, {"myid", i + 1}};
    if (i < nodes.size()) {
      server["quorum_address"] = advertised_peer_address(nodes, cluster_.ids()[i], i);
      server["client_address"] = nodes[i].client_address;
    }
    servers.push_back(server);
  }
  return {{"target", "zookeeper"},
          {"java", options_.java.string()},
          {"version", options_.version},
          {"zookeeper_reads", options_.sync_reads ? "sync" : "plain"},
          {"nodes", servers},
          {"tick_ms", zookeeper_tick_ms},
          {"faketime", options_.faketime_library.string()},
          {"request_timeout_ms", options_.request_timeout_ms},
          {"network", options_.network}};
}

}  // namespace faultline
