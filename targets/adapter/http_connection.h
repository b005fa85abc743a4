// One keep-alive HTTP/1.1 connection from the controller to one node (on loopback, possibly in
// the node's own network namespace): the
// transport under HttpKvClient and the health checks. libcurl stays in the .cc, so including
// this header is cheap.
//
// What a failed exchange means for the operation is decided here, once, by `Delivery`:
//   answered   the node sent a reply (any status); the caller reads status and body
//   not_sent   the request certainly never reached the node: no connection was made
//              (connection refused, could not resolve, connect timeout), or the transfer
//              failed before curl wrote a single byte of the request
//   maybe_sent the request may have reached the node and may take effect: a timeout after
//              the connection was made, a reset, an empty reply, a send error part-way
// Everything not known to be `not_sent` is `maybe_sent` (STYLE principle 4).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace faultline {

enum class Delivery { answered, not_sent, maybe_sent };

struct HttpExchange {
  Delivery delivery = Delivery::maybe_sent;
  long status = 0;    // the HTTP status when answered, else 0
  std::string body;   // the reply body when answered
  std::string error;  // when not answered: curl's message, for people
};

// How a failed libcurl transfer (a CURLcode other than CURLE_OK) is classified.
// `request_bytes_sent` is CURLINFO_REQUEST_SIZE: bytes of the request curl wrote to the socket.
// Errors that happen before any connection exists are not_sent whatever the count; any
// other error is not_sent only when no byte of the request was written, since the node acts
// only on a complete request.
Delivery delivery_of_curl_error(int curl_code, std::int64_t request_bytes_sent);

// Not thread-safe: one connection per client, used by one thread at a time.
class HttpConnection {
 public:
  // `base_url` like "http://127.0.0.1:8001". Timeouts in milliseconds for each request.
  // `network_namespace`: the name of a network namespace (ip netns) to open the connection's
  // sockets in, so that "127.0.0.1" is that namespace's loopback (the netns network backend);
  // empty: this process's own. Throws std::runtime_error when it cannot be opened.
  HttpConnection(std::string base_url, std::int64_t request_timeout_ms, std::int64_t connect_timeout_ms,
                 const std::string& network_namespace = "");
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // One request; `body` is sent as application/json when not empty or when the method is
  // PUT or POST. Blocks for at most the request timeout. Never throws for network errors.
  HttpExchange request(const std::string& method, const std::string& path, const std::string& body = "");

  // `text` escaped for use as one path segment.
  std::string escape_path_segment(const std::string& text);

  const std::string& base_url() const { return base_url_; }

 private:
  struct Curl;
  std::string base_url_;
  std::unique_ptr<Curl> curl_;
};

}  // namespace faultline
