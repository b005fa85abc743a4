// Real faultline-node processes for the integration tests: start one on a free loopback port,
// wait for /health with a bounded deadline, kill -9 it, restart it. Only the PIDs started
// here are ever signalled. Also a tiny blocking HTTP client (libcurl).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace faultline::testing {

// A port on 127.0.0.1 that was free a moment ago.
std::uint16_t free_port();

struct HttpReply {
  long status = 0;  // 0: no answer (connection refused, timeout)
  std::string body;
};
HttpReply http(const std::string& method, const std::string& url, const std::string& body = "",
               std::int64_t timeout_ms = 5'000);

struct ProcessExit {
  int exit_code = -1;  // -1: killed by a signal or still running at the deadline
  std::string output;  // stderr and stdout
};

// Runs faultline-node with `args` to completion (bounded by `deadline_ms`).
ProcessExit run_node_to_exit(const std::vector<std::string>& args, std::int64_t deadline_ms = 10'000);

// The faultline-node this build made, unless set_node_binary chose another (the benchmark
// compares an older build's node with this one).
std::string node_binary();
void set_node_binary(std::string path);

class NodeProcess {
 public:
  NodeProcess(std::vector<std::string> args, std::uint16_t port, std::filesystem::path log);
  ~NodeProcess();  // kill -9 and reap, when still running
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  void start();
  // Polls /health until it answers; false at the deadline.
  bool wait_healthy(std::int64_t deadline_ms = 10'000);
  void kill_9();
  bool running() const { return pid_ > 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::uint16_t port() const { return port_; }
  std::string log() const;

 private:
  std::vector<std::string> args_;
  std::uint16_t port_;
  std::filesystem::path log_;
  pid_t pid_ = -1;
};

}  // namespace faultline::testing
