// Calls to one peer node over HTTP (libcurl, kept out of this header). A fixed set of worker
// threads, each with its own keep-alive connection, sends queued requests; the callback runs
// on the worker with the reply (parsed JSON), or nullopt on any failure (connection refused,
// timeout, a status other than 200, a body that is not JSON). Node-to-node calls never throw
// into the protocol. call() instead sends on the caller's thread and waits, on a connection of
// its own pool.
//
// Batching (`batch_max` > 1): a worker that finds several requests for the same path queued
// sends up to batch_max of them as one POST whose body is the JSON array of their bodies; the
// peer answers the array of their replies, in order (http_server.cc). Requests are only ever
// batched when every connection is busy, so batching costs no latency and saves requests
// exactly when they pile up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::node {

// The answer to call(): the body of a 200, or a failure that says whether the request may
// have reached the peer.
struct PeerReply {
  std::optional<std::string> body;
  bool maybe_delivered = true;  // false only when no byte of the request's body left this node
  std::string error;            // no body: what went wrong, for the node's log
};

class PeerClient {
 public:
  using Callback = std::function<void(std::optional<nlohmann::json> reply)>;

  // `base_url`: "http://127.0.0.1:8002".
  // `batch_max` requests or `batch_bytes_max` bytes of bodies at most go in one batch.
  PeerClient(std::string base_url, std::size_t connections, std::int64_t request_timeout_ms, std::size_t batch_max = 1,
             std::size_t batch_bytes_max = 0);
  ~PeerClient();
  PeerClient(const PeerClient&) = delete;
  PeerClient& operator=(const PeerClient&) = delete;

  // Queues a POST of `body` (JSON) to `path`.
  void post(std::string path, std::string body, Callback done);
  // POSTs `body` to `path` on this thread and waits at most `timeout_ms` for the answer (of
  // which at most `connect_timeout_ms` for a connection).
  PeerReply call(const std::string& path, const std::string& body, std::int64_t timeout_ms,
                 std::int64_t connect_timeout_ms);

  // Must run once before any PeerClient exists (curl_global_init).
  static void global_init();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace faultline::node
