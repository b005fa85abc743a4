// Calls to one peer node over HTTP (libcurl, kept out of this header). A fixed set of worker
// threads, each with its own keep-alive connection, sends queued requests; the callback runs
// on the worker with the reply body, or nullopt on any failure (connection refused, timeout,
// a status other than 200). Node-to-node calls never throw into the protocol.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace faultline::node {

class PeerClient {
 public:
  using Callback = std::function<void(std::optional<std::string> reply)>;

  // `base_url`: "http://127.0.0.1:8002".
  PeerClient(std::string base_url, std::size_t connections, std::int64_t request_timeout_ms);
  ~PeerClient();
  PeerClient(const PeerClient&) = delete;
  PeerClient& operator=(const PeerClient&) = delete;

  // Queues a POST of `body` (JSON) to `path`.
  void post(std::string path, std::string body, Callback done);

  // Must run once before any PeerClient exists (curl_global_init).
  static void global_init();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace faultline::node
