#include "clusters.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

namespace faultline::bench {
namespace {

using faultline::testing::http;
constexpr std::int64_t poll_interval_ms = 50;
constexpr std::int64_t stop_grace_ms = 5'000;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

pid_t spawn(const std::vector<std::string>& argv_strings, const std::filesystem::path& log) {
  std::vector<char*> argv;
  for (const std::string& arg : argv_strings) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

std::string name(std::size_t i, const char* prefix) { return prefix + std::to_string(i + 1); }

}  // namespace

double cpu_ms(const std::vector<pid_t>& pids) {
  static const double ticks_per_second = static_cast<double>(::sysconf(_SC_CLK_TCK));
  double total = 0;
  for (pid_t pid : pids) {
    const std::string stat = slurp("/proc/" + std::to_string(pid) + "/stat");
    const auto after_name = stat.rfind(')');  // the command name may hold spaces
    if (after_name == std::string::npos) continue;
    std::istringstream fields(stat.substr(after_name + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {  // fields 14 and 15: utime, stime
      if (i == 14) utime = std::stod(field);
      if (i == 15) stime = std::stod(field);
    }
    total += (utime + stime) * 1000 / ticks_per_second;
  }
  return total;
}

std::vector<std::uint16_t> free_ports(std::size_t count) {
  std::vector<std::uint16_t> ports;
  while (ports.size() < count) {
    const auto port = faultline::testing::free_port();
    if (std::find(ports.begin(), ports.end(), port) == ports.end()) ports.push_back(port);
  }
  return ports;
}

FaultlineCluster::FaultlineCluster(const std::filesystem::path& dir, const std::string& protocol, bool fsync,
                                   const std::vector<std::string>& node_flags) {
  const auto ports = free_ports(cluster_size);
  for (std::size_t i = 0; i < cluster_size; ++i) {
    std::vector<std::string> args{"--id", name(i, "n"), "--listen", "127.0.0.1:" + std::to_string(ports[i]),
                                  "--data-dir", (dir / name(i, "n")).string(), "--protocol", protocol};
    for (std::size_t j = 0; j < cluster_size; ++j)
      if (j != i) args.insert(args.end(), {"--peer", name(j, "n") + "=127.0.0.1:" + std::to_string(ports[j])});
    if (!fsync) args.push_back("--no-fsync");
    args.insert(args.end(), node_flags.begin(), node_flags.end());
    nodes_.push_back(std::make_unique<faultline::testing::NodeProcess>(args, ports[i], dir / (name(i, "n") + ".log")));
    nodes_.back()->start();
  }
  for (auto& node : nodes_)
    if (!node->wait_healthy(cluster_start_deadline_ms)) throw std::runtime_error("a faultline node never became healthy:\n" + node->log());
}

std::vector<std::string> FaultlineCluster::urls() const {
  std::vector<std::string> urls;
  for (const auto& node : nodes_) urls.push_back(node->url());
  return urls;
}

std::uint64_t FaultlineCluster::fsyncs() const {
  std::uint64_t total = 0;
  for (const auto& node : nodes_) {
    const auto status = nlohmann::json::parse(http("GET", node->url() + "/status").body, nullptr, false);
    if (status.is_object() && status.contains("storage")) total += status["storage"].value("fsyncs", std::uint64_t{0});
  }
  return total;
}

std::vector<pid_t> FaultlineCluster::pids() const {
  std::vector<pid_t> pids;
  const std::filesystem::path binary = std::filesystem::weakly_canonical(faultline::testing::node_binary());
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    std::error_code error;
    if (std::filesystem::read_symlink(entry.path() / "exe", error) != binary || error) continue;
    const std::string stat = slurp(entry.path() / "stat");
    const auto after_name = stat.rfind(')');
    if (after_name == std::string::npos) continue;
    std::istringstream fields(stat.substr(after_name + 2));
    std::string state;
    pid_t parent = 0;
    if (fields >> state >> parent && parent == ::getpid()) pids.push_back(std::stoi(name));
  }
  return pids;
}

EtcdCluster::EtcdCluster(const std::filesystem::path& dir, const std::string& etcd_binary) {
  const auto ports = free_ports(2 * cluster_size);  // client ports, then peer ports
  std::string initial_cluster;
  for (std::size_t i = 0; i < cluster_size; ++i) {
    client_urls_.push_back("http://127.0.0.1:" + std::to_string(ports[i]));
    initial_cluster += (i ? "," : "") + name(i, "e") + "=http://127.0.0.1:" + std::to_string(ports[cluster_size + i]);
  }
  for (std::size_t i = 0; i < cluster_size; ++i) {
    const std::string peer_url = "http://127.0.0.1:" + std::to_string(ports[cluster_size + i]);
    pids_.push_back(spawn({etcd_binary, "--name", name(i, "e"), "--data-dir", (dir / name(i, "e")).string(),
                           "--listen-client-urls", client_urls_[i], "--advertise-client-urls", client_urls_[i],
                           "--listen-peer-urls", peer_url, "--initial-advertise-peer-urls", peer_url,
                           "--initial-cluster", initial_cluster, "--initial-cluster-state", "new",
                           "--initial-cluster-token", "faultline-bench", "--logger", "zap", "--log-level", "warn"},
                          dir / (name(i, "e") + ".log")));
  }
  try {
    wait_healthy(dir);
  } catch (...) {
    stop();  // the destructor does not run when the constructor throws
    throw;
  }
  const auto reply = nlohmann::json::parse(http("GET", client_urls_[0] + "/version").body, nullptr, false);
  if (reply.is_object()) version_ = reply.value("etcdserver", "");
}

// /health answers {"health":"true"} once the member sees a leader and can serve.
void EtcdCluster::wait_healthy(const std::filesystem::path& dir) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(cluster_start_deadline_ms);
  for (std::size_t i = 0; i < cluster_size; ++i) {
    while (http("GET", client_urls_[i] + "/health", "", 1'000).body.find("\"true\"") == std::string::npos) {
      int status = 0;
      const bool exited = ::waitpid(pids_[i], &status, WNOHANG) == pids_[i];
      if (exited) pids_[i] = -1;
      if (exited || std::chrono::steady_clock::now() > deadline)
        throw std::runtime_error("etcd member " + name(i, "e") + (exited ? " exited" : " never became healthy") + ":\n" +
                                 slurp(dir / (name(i, "e") + ".log")));
      std::this_thread::sleep_for(std::chrono::milliseconds(poll_interval_ms));
    }
  }
}

EtcdCluster::~EtcdCluster() { stop(); }

void EtcdCluster::stop() {
  for (pid_t pid : pids_)
    if (pid > 0) ::kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(stop_grace_ms);
  for (pid_t& pid : pids_) {
    if (pid <= 0) continue;
    int status = 0;
    while (::waitpid(pid, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(poll_interval_ms));
    }
    pid = -1;
  }
}

std::vector<std::string> EtcdCluster::urls() const { return client_urls_; }

std::uint64_t EtcdCluster::fsyncs() const {
  static const std::string metric = "\netcd_disk_wal_fsync_duration_seconds_count ";
  std::uint64_t total = 0;
  for (const std::string& url : client_urls_) {
    const std::string metrics = http("GET", url + "/metrics").body;
    const auto at = metrics.find(metric);
    if (at != std::string::npos) total += std::strtoull(metrics.c_str() + at + metric.size(), nullptr, 10);
  }
  return total;
}

}  // namespace faultline::bench
