#include "local_cluster.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "http_connection.h"
#include "loopback_ports.h"

namespace faultline {

namespace {
using Clock = std::chrono::steady_clock;
}  // namespace

std::filesystem::path find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return program;
  const char* path = std::getenv("PATH");
  std::string_view directories = path != nullptr ? path : "/usr/sbin:/usr/bin:/sbin:/bin";
  while (!directories.empty()) {
    const std::size_t colon = directories.find(':');
    const std::filesystem::path candidate = std::filesystem::path(directories.substr(0, colon)) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    directories.remove_prefix(colon + 1);
  }
  return program;
}

TargetResult<void> create_node_directories(const std::filesystem::path& directory) {
  std::error_code error;
  for (const char* sub : {"data", "nodes"}) {
    std::filesystem::create_directories(directory / sub, error);
    if (error) return std::unexpected(TargetError{"cannot create " + (directory / sub).string() + ": " + error.message()});
  }
  return {};
}

void use_lazyfs_disks(LocalClusterSpec& spec, const std::filesystem::path& directory,
                      const std::filesystem::path& lazyfs_program) {
  if (lazyfs_program.empty()) return;
  spec.lazyfs_program = lazyfs_program;
  spec.data_directory = directory / "data";
  spec.disk_directory = directory / "disks";
}

LocalCluster::LocalCluster(LocalClusterSpec spec) : spec_(std::move(spec)), ports_(spec_.ports) {}

LocalCluster::~LocalCluster() { stop_all(); }

std::size_t LocalCluster::index_of(const std::string& node) const {
  for (std::size_t i = 0; i < spec_.ids.size(); ++i)
    if (spec_.ids[i] == node) return i;
  throw std::invalid_argument("local cluster: no node '" + node + "'");  // a programmer error
}

void LocalCluster::create_processes() {
  processes_.clear();
  for (std::size_t i = 0; i < spec_.ids.size(); ++i) {
    ProcessSpec process = spec_.process_for(i, nodes_);
    process.log = log_path(spec_.ids[i]);
    const std::vector<std::string>& prefix = nodes_[i].placement.launch_prefix;
    if (!prefix.empty()) {
      std::vector<std::string> arguments(prefix.begin() + 1, prefix.end());
      arguments.push_back(process.binary.string());
      arguments.insert(arguments.end(), process.arguments.begin(), process.arguments.end());
      process.binary = find_program(prefix.front());
      process.arguments = std::move(arguments);
    }
    if (spec_.process_factory) processes_.push_back(spec_.process_factory(i, std::move(process)));
    else processes_.push_back(std::make_unique<NodeProcess>(std::move(process)));
  }
}

TargetError LocalCluster::node_error(std::size_t index, const std::string& what) const {
  const std::string& id = spec_.ids[index];
  std::string message = "node " + id + " " + what;
  if (index < processes_.size()) message += " (process " + processes_[index]->status_text() + ")";
  const std::string tail = index < processes_.size() ? processes_[index]->log_tail(log_tail_bytes_max)
                                                     : read_file_tail(log_path(id), log_tail_bytes_max);
  message += "; log " + log_path(id).string() + (tail.empty() ? " is empty" : " ends with:\n" + tail);
  return TargetError{message};
}

TargetResult<void> LocalCluster::start_all() {
  std::lock_guard lock(mutex_);
  const bool ports_chosen_here = spec_.ports.empty();
  const std::size_t count = spec_.ids.size();
  std::vector<std::size_t> everyone;
  for (std::size_t i = 0; i < count; ++i) everyone.push_back(i);

  for (int attempt = 1;; ++attempt) {
    stop_all_locked();
    auto free_ports = choose_free_loopback_ports((ports_chosen_here ? count : 0) + count * spec_.extra_ports_per_node);
    if (!free_ports) return std::unexpected(free_ports.error());
    auto next_port = free_ports->begin();
    if (ports_chosen_here) {
      ports_.assign(next_port, next_port + static_cast<std::ptrdiff_t>(count));
      next_port += static_cast<std::ptrdiff_t>(count);
    }
    std::vector<NodePlacement> placements;
    if (spec_.place_nodes) {
      auto placed = spec_.place_nodes(spec_.ids, ports_);
      if (!placed) return std::unexpected(placed.error());
      placements = std::move(*placed);
    } else {
      placements = loopback_placements(spec_.ids, ports_);
    }
    nodes_.assign(count, LocalNode{});
    for (std::size_t i = 0; i < count; ++i) {
      nodes_[i].placement = placements[i];
      nodes_[i].extra_ports.assign(next_port, next_port + static_cast<std::ptrdiff_t>(spec_.extra_ports_per_node));
      next_port += static_cast<std::ptrdiff_t>(spec_.extra_ports_per_node);
      nodes_[i].client_address =
          spec_.client_address_of ? spec_.client_address_of(nodes_[i]) : placements[i].client_address;
    }
    create_processes();
    for (std::size_t i = 0; i < count; ++i)
      if (auto mounted = mount_disk_locked(i); !mounted) {
        stop_all_locked();
        return std::unexpected(TargetError{"node " + spec_.ids[i] + ": " + mounted.error().message});
      }
    for (std::size_t i = 0; i < processes_.size(); ++i) {
      if (auto started = processes_[i]->start(); !started) {
        stop_all_locked();
        return std::unexpected(TargetError{"node " + spec_.ids[i] + ": " + started.error().message});
      }
    }
    bool exited_cannot_listen = false;
    auto healthy = wait_healthy(everyone, spec_.start_health_path, exited_cannot_listen);
    if (healthy) return {};
    stop_all_locked();
    // Someone took a port between choosing and binding it: every node needs the new ports.
    if (!(exited_cannot_listen && ports_chosen_here && attempt < cluster_start_attempts_max)) return healthy;
  }
}

TargetResult<void> LocalCluster::wait_healthy(const std::vector<std::size_t>& indexes, const std::string& path,
                                              bool& exited_cannot_listen) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(spec_.start_timeout_ms);
  std::vector<std::unique_ptr<HttpConnection>> waiting(spec_.ids.size());
  const std::string asked = spec_.health_probe ? "'" + path + "'" : "GET " + path;
  std::vector<bool> probing(spec_.ids.size(), false);
  for (std::size_t i : indexes) {
    probing[i] = true;
    if (spec_.health_probe) continue;
    waiting[i] = std::make_unique<HttpConnection>(http_url(nodes_[i].client_address), health_request_timeout_ms,
                                                  health_request_timeout_ms,
                                                  nodes_[i].placement.client_network_namespace);
  }
  std::size_t left = indexes.size();
  while (true) {
    for (std::size_t i : indexes) {
      if (!probing[i]) continue;
      if (!processes_[i]->is_running()) {
        exited_cannot_listen = spec_.exit_code_cannot_listen && processes_[i]->exit_code() == spec_.exit_code_cannot_listen;
        return std::unexpected(node_error(i, "exited before it answered " + asked));
      }
      bool healthy = false;
      if (spec_.health_probe) {
        healthy = spec_.health_probe(nodes_[i], path);
      } else {
        const HttpExchange health = waiting[i]->request("GET", path);
        healthy = health.delivery == Delivery::answered && health.status == 200;
      }
      if (healthy) {
        probing[i] = false;
        waiting[i].reset();
        --left;
      }
    }
    if (left == 0) return {};
    if (Clock::now() >= deadline) {
      for (std::size_t i : indexes)
        if (probing[i])
          return std::unexpected(node_error(
              i, "did not answer " + asked + " within " + std::to_string(spec_.start_timeout_ms) + " ms"));
    }
    // Polling is the only way to learn that a server is ready; the deadline bounds it.
    std::this_thread::sleep_for(std::chrono::milliseconds(health_poll_interval_ms));
  }
}

TargetResult<void> LocalCluster::restart(const std::string& node) {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (processes_.empty()) return std::unexpected(TargetError{"restart " + node + ": the cluster was never started"});
  SupervisedProcess& process = *processes_[index];
  if (process.is_running()) return std::unexpected(TargetError{"restart " + node + ": it is still running"});
  if (auto mounted = mount_disk_locked(index); !mounted)
    return std::unexpected(TargetError{"restart " + node + ": " + mounted.error().message});
  if (auto started = process.start(); !started)
    return std::unexpected(TargetError{"node " + node + ": " + started.error().message});
  bool exited_cannot_listen = false;
  auto healthy = wait_healthy({index}, spec_.restart_health_path, exited_cannot_listen);
  if (!healthy) {
    process.kill();
    if (exited_cannot_listen)
      healthy.error().message += "\n(its port " + std::to_string(ports_[index]) + " was taken while it was down)";
  }
  return healthy;
}

void LocalCluster::kill(const std::string& node) {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (!processes_.empty()) processes_[index]->kill();
}

void LocalCluster::pause(const std::string& node) {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (!processes_.empty()) processes_[index]->pause();
}

void LocalCluster::resume(const std::string& node) {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (!processes_.empty()) processes_[index]->resume();
}

TargetResult<void> LocalCluster::mount_disk_locked(std::size_t index) {
  if (spec_.lazyfs_program.empty()) return {};
  if (disks_.empty())
    for (const std::string& id : spec_.ids)
      disks_.push_back(std::make_unique<LazyfsMount>(spec_.lazyfs_program, spec_.disk_directory / id,
                                                     spec_.data_directory / id, spec_.log_directory / (id + ".lazyfs.log")));
  return disks_[index]->mount();
}

TargetResult<void> LocalCluster::lose_power(const std::string& node) {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (spec_.lazyfs_program.empty() || disks_.empty())
    return std::unexpected(TargetError{"power loss of " + node + ": its data directory is not on faultline-lazyfs"});
  if (!processes_.empty()) processes_[index]->kill();
  LazyfsMount& disk = *disks_[index];
  auto lost = disk.lose_power();
  // Unmounted and mounted again either way: the kernel must not serve what was dropped.
  disk.unmount();
  auto mounted = disk.mount();
  if (!lost) return lost;
  if (!mounted) return std::unexpected(TargetError{"power loss of " + node + ": " + mounted.error().message});
  return {};
}

TargetResult<nlohmann::json> LocalCluster::corrupt_files(const std::string& node, const FileCorruption& corruption) {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (spec_.data_directory.empty())
    return std::unexpected(TargetError{"corrupt the files of " + node + ": the harness does not know its data directory"});
  if (!processes_.empty()) processes_[index]->kill();
  auto done = corrupt_directory(spec_.data_directory / spec_.ids[index], corruption);
  if (!done) return std::unexpected(TargetError{"corrupt the files of " + node + ": " + done.error()});
  return *done;
}

bool LocalCluster::is_running(const std::string& node) const {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  return !processes_.empty() && processes_[index]->is_running();
}

std::optional<pid_t> LocalCluster::process_id(const std::string& node) const {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (processes_.empty() || !processes_[index]->is_running()) return std::nullopt;
  return processes_[index]->pid();
}

void LocalCluster::stop_all() noexcept {
  std::lock_guard lock(mutex_);
  stop_all_locked();
}

void LocalCluster::stop_all_locked() noexcept {
  // SIGTERM to everyone first, so the grace periods run side by side.
  for (auto& process : processes_) process->request_termination();
  const auto deadline = Clock::now() + std::chrono::milliseconds(spec_.stop_grace_ms);
  for (auto& process : processes_)
    if (!process->wait_for_exit(deadline)) process->kill();
  for (auto& disk : disks_) disk->unmount();
}

std::vector<LocalNode> LocalCluster::nodes() const {
  std::lock_guard lock(mutex_);
  return nodes_;
}

std::string LocalCluster::base_url(const std::string& node) const {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (nodes_.empty()) throw std::logic_error("local cluster: no addresses before start_all");
  return http_url(nodes_[index].client_address);
}

std::string LocalCluster::client_network_namespace(const std::string& node) const {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (nodes_.empty()) throw std::logic_error("local cluster: no addresses before start_all");
  return nodes_[index].placement.client_network_namespace;
}

std::filesystem::path LocalCluster::log_path(const std::string& node) const {
  return spec_.log_directory / (spec_.ids[index_of(node)] + ".log");
}

std::string advertised_peer_address(const std::vector<LocalNode>& nodes, const std::string& id, std::size_t index) {
  for (std::size_t other = 0; other < nodes.size(); ++other) {
    if (other == index) continue;
    for (const auto& [peer, address] : nodes[other].placement.peers)
      if (peer == id) return address;
  }
  return nodes[index].placement.listen_address;
}

}  // namespace faultline
