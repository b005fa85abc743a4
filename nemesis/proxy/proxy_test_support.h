// Loopback helpers for the proxy test and benchmark: an echo server on its own thread, and a
// blocking client whose every wait is bounded.
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace faultline::proxy::testing {

// Echoes every byte back on each accepted connection; counts connections and bytes.
class EchoServer {
 public:
  EchoServer() {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 64) != 0)
      throw std::runtime_error("echo server: cannot listen");
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }
  ~EchoServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    accept_thread_.join();
    ::close(listener_);
    std::lock_guard lock(mutex_);
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
    for (auto& thread : echo_threads_) thread.join();
    for (int fd : connections_) ::close(fd);
  }
  std::uint16_t port() const { return port_; }
  std::uint64_t connections_accepted() const { return accepted_; }
  std::uint64_t bytes_received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }
  // True once at least `bytes` arrived in all, false at the timeout.
  bool wait_for_bytes(std::uint64_t bytes, std::int64_t timeout_ms) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return received_ >= bytes; });
  }

 private:
  void accept_loop() {
    while (!stopping_) {
      const int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      ++accepted_;
      std::lock_guard lock(mutex_);
      connections_.push_back(fd);
      echo_threads_.emplace_back([this, fd] { echo(fd); });
    }
  }
  void echo(int fd) {
    char buffer[16384];
    for (;;) {
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) return;
      {
        std::lock_guard lock(mutex_);
        received_ += static_cast<std::uint64_t>(n);
      }
      arrived_.notify_all();
      for (ssize_t sent = 0; sent < n;) {
        const ssize_t m = ::send(fd, buffer + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
        if (m <= 0) return;
        sent += m;
      }
    }
  }

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> accepted_{0};
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::uint64_t received_ = 0;
  std::vector<int> connections_;
  std::vector<std::thread> echo_threads_;
  std::thread accept_thread_;
};

// A blocking TCP client on 127.0.0.1 with TCP_NODELAY.
class Client {
 public:
  explicit Client(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(port);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
      throw std::runtime_error("client: cannot connect to port " + std::to_string(port));
  }
  ~Client() { close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  void send(const std::string& bytes) {
    for (std::size_t sent = 0; sent < bytes.size();) {
      const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("client: send failed");
      sent += static_cast<std::size_t>(n);
    }
  }
  // Up to `bytes` bytes, waiting at most `timeout_ms` in all: fewer when time ran out or the
  // connection ended.
  std::string receive(std::size_t bytes, std::int64_t timeout_ms) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::string received;
    while (received.size() < bytes) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd poll_fd{fd_, POLLIN, 0};
      if (::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[16384];
      const ssize_t n = ::recv(fd_, buffer, std::min(sizeof buffer, bytes - received.size()), 0);
      if (n <= 0) break;
      received.append(buffer, static_cast<std::size_t>(n));
    }
    return received;
  }
  std::string request(const std::string& bytes, std::int64_t timeout_ms) {
    send(bytes);
    return receive(bytes.size(), timeout_ms);
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Polls `condition` until it holds or `timeout_ms` passes: for state the proxy thread changes
// that has no event to wait on. Bounded.
template <typename Condition>
bool eventually(Condition condition, std::int64_t timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

}  // namespace faultline::proxy::testing
