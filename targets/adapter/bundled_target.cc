#include "bundled_target.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "http_connection.h"
#include "http_kv_client.h"
#include "loopback_ports.h"

namespace faultline {

namespace {

using Clock = std::chrono::steady_clock;

std::string http_url(const std::string& address) { return "http://" + address; }

// `program` itself when it has a slash, else the first executable of that name on PATH.
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
  return program;  // not found: starting it reports the error
}

}  // namespace

TargetResult<std::unique_ptr<BundledTarget>> BundledTarget::create(BundledOptions options) {
  if (const std::string problem = validate_bundled_options(options); !problem.empty())
    return std::unexpected(TargetError{problem});
  std::error_code error;
  for (const char* sub : {"data", "nodes"}) {
    std::filesystem::create_directories(options.directory / sub, error);
    if (error)
      return std::unexpected(
          TargetError{"cannot create " + (options.directory / sub).string() + ": " + error.message()});
  }
  return std::unique_ptr<BundledTarget>(new BundledTarget(std::move(options)));
}

BundledTarget::BundledTarget(BundledOptions options)
    : options_(std::move(options)), ids_(bundled_node_ids(options_.nodes)), ports_(options_.ports) {}

BundledTarget::~BundledTarget() { stop_all(); }

std::size_t BundledTarget::index_of(const std::string& node) const {
  for (std::size_t i = 0; i < ids_.size(); ++i)
    if (ids_[i] == node) return i;
  throw std::invalid_argument("bundled target: no node '" + node + "'");  // a programmer error
}

void BundledTarget::create_processes() {
  processes_.clear();
  for (std::size_t i = 0; i < ids_.size(); ++i) {
    ProcessSpec spec{options_.node_binary, bundled_node_arguments(options_, i, placements_), log_path(ids_[i])};
    const std::vector<std::string>& prefix = placements_[i].launch_prefix;
    if (!prefix.empty()) {
      std::vector<std::string> arguments(prefix.begin() + 1, prefix.end());
      arguments.push_back(options_.node_binary.string());
      arguments.insert(arguments.end(), spec.arguments.begin(), spec.arguments.end());
      spec.binary = find_program(prefix.front());
      spec.arguments = std::move(arguments);
    }
    processes_.push_back(std::make_unique<NodeProcess>(std::move(spec)));
  }
}

TargetError BundledTarget::node_error(std::size_t index, const std::string& what) const {
  std::string message = "node " + ids_[index] + " " + what;
  if (index < processes_.size()) message += " (process " + processes_[index]->status_text() + ")";
  const std::string tail = read_file_tail(log_path(ids_[index]), log_tail_bytes_max);
  message += "; log " + log_path(ids_[index]).string() + (tail.empty() ? " is empty" : " ends with:\n" + tail);
  return TargetError{message};
}

TargetResult<void> BundledTarget::start_all() {
  std::lock_guard lock(mutex_);
  const bool ports_chosen_here = options_.ports.empty();
  std::vector<std::size_t> everyone;
  for (std::size_t i = 0; i < ids_.size(); ++i) everyone.push_back(i);

  for (int attempt = 1;; ++attempt) {
    stop_all_locked();
    if (ports_chosen_here) {
      auto ports = choose_free_loopback_ports(ids_.size());
      if (!ports) return std::unexpected(ports.error());
      ports_ = *ports;
    }
    if (options_.place_nodes) {
      auto placed = options_.place_nodes(ids_, ports_);
      if (!placed) return std::unexpected(placed.error());
      placements_ = std::move(*placed);
    } else {
      placements_ = loopback_placements(ids_, ports_);
    }
    create_processes();
    for (std::size_t i = 0; i < processes_.size(); ++i) {
      if (auto started = processes_[i]->start(); !started) {
        stop_all_locked();
        return std::unexpected(TargetError{"node " + ids_[i] + ": " + started.error().message});
      }
    }
    bool exited_cannot_listen = false;
    auto healthy = wait_healthy(everyone, exited_cannot_listen);
    if (healthy) return {};
    stop_all_locked();
    // Someone took a port between choosing and binding it: every node needs the new ports.
    if (!(exited_cannot_listen && ports_chosen_here && attempt < cluster_start_attempts_max)) return healthy;
  }
}

TargetResult<void> BundledTarget::wait_healthy(const std::vector<std::size_t>& indexes, bool& exited_cannot_listen) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(node_start_timeout_ms);
  std::vector<std::unique_ptr<HttpConnection>> waiting(ids_.size());
  for (std::size_t i : indexes)
    waiting[i] =
        std::make_unique<HttpConnection>(http_url(placements_[i].client_address), health_request_timeout_ms,
                                         health_request_timeout_ms, placements_[i].client_network_namespace);
  std::size_t left = indexes.size();
  while (true) {
    for (std::size_t i : indexes) {
      if (waiting[i] == nullptr) continue;
      if (!processes_[i]->is_running()) {
        exited_cannot_listen = processes_[i]->exit_code() == node_exit_cannot_listen;
        return std::unexpected(node_error(i, "exited before it answered GET /health"));
      }
      const HttpExchange health = waiting[i]->request("GET", "/health");
      if (health.delivery == Delivery::answered && health.status == 200) {
        waiting[i].reset();
        --left;
      }
    }
    if (left == 0) return {};
    if (Clock::now() >= deadline) {
      for (std::size_t i : indexes)
        if (waiting[i] != nullptr)
          return std::unexpected(
              node_error(i, "did not answer GET /health within " + std::to_string(node_start_timeout_ms) + " ms"));
    }
    // Polling is the only way to learn that a server is ready; the deadline bounds it.
    std::this_thread::sleep_for(std::chrono::milliseconds(health_poll_interval_ms));
  }
}

TargetResult<void> BundledTarget::restart(const std::string& node) {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (processes_.empty()) return std::unexpected(TargetError{"restart " + node + ": the cluster was never started"});
  NodeProcess& process = *processes_[index];
  if (process.is_running()) return std::unexpected(TargetError{"restart " + node + ": it is still running"});
  if (auto started = process.start(); !started)
    return std::unexpected(TargetError{"node " + node + ": " + started.error().message});
  bool exited_cannot_listen = false;
  auto healthy = wait_healthy({index}, exited_cannot_listen);
  if (!healthy) {
    process.kill();
    if (exited_cannot_listen)
      healthy.error().message += "\n(its port " + std::to_string(ports_[index]) + " was taken while it was down)";
  }
  return healthy;
}

void BundledTarget::kill(const std::string& node) {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (!processes_.empty()) processes_[index]->kill();
}

void BundledTarget::pause(const std::string& node) {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (!processes_.empty()) processes_[index]->pause();
}

void BundledTarget::resume(const std::string& node) {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (!processes_.empty()) processes_[index]->resume();
}

bool BundledTarget::is_running(const std::string& node) const {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  return !processes_.empty() && processes_[index]->is_running();
}

std::optional<pid_t> BundledTarget::process_id(const std::string& node) const {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (processes_.empty() || !processes_[index]->is_running()) return std::nullopt;
  return processes_[index]->pid();
}

void BundledTarget::stop_all() noexcept {
  std::lock_guard lock(mutex_);
  stop_all_locked();
}

void BundledTarget::stop_all_locked() noexcept {
  // SIGTERM to everyone first, so the grace periods run side by side.
  for (auto& process : processes_) process->request_termination();
  const auto deadline = Clock::now() + std::chrono::milliseconds(node_stop_grace_ms);
  for (auto& process : processes_)
    if (!process->wait_for_exit(deadline)) process->kill();
}

std::unique_ptr<KvClient> BundledTarget::client(const std::string& node) const {
  return std::make_unique<HttpKvClient>(base_url(node), options_.request_timeout_ms, connect_timeout_ms,
                                        client_network_namespace(node));
}

std::string BundledTarget::base_url(const std::string& node) const {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (placements_.empty()) throw std::logic_error("bundled target: no addresses before start_all");
  return http_url(placements_[index].client_address);
}

std::string BundledTarget::client_network_namespace(const std::string& node) const {
  std::lock_guard lock(mutex_);
  const std::size_t index = index_of(node);
  if (placements_.empty()) throw std::logic_error("bundled target: no addresses before start_all");
  return placements_[index].client_network_namespace;
}

std::filesystem::path BundledTarget::log_path(const std::string& node) const {
  return options_.directory / "nodes" / (ids_[index_of(node)] + ".log");
}

nlohmann::json BundledTarget::describe() const {
  std::lock_guard lock(mutex_);
  return describe_bundled_options(options_, placements_);
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
