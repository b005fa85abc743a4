#include "http_connection.h"


#include <fcntl.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "curl_library.h"
#include "in_network_namespace.h"

namespace faultline {

Delivery delivery_of_curl_error(int curl_code, std::int64_t request_bytes_sent) {
  switch (static_cast<CURLcode>(curl_code)) {
    // These fail before curl opens a connection, so nothing can have been written.
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_FAILED_INIT:
    case CURLE_URL_MALFORMAT:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
      return Delivery::not_sent;
    default:
      break;
  }
  // CURLINFO_REQUEST_SIZE adds up every byte of the request curl wrote during the transfer,
  // including an attempt on a reused keep-alive connection that curl silently retried on a
  // new one. So "could not connect" after such a retry still counts the first attempt's
  // bytes, and the node may have acted on them: that is maybe_sent, not a refusal.
  // With no byte written (connection refused, connect timeout) the node saw nothing.
  return request_bytes_sent > 0 ? Delivery::maybe_sent : Delivery::not_sent;
}

namespace {

void initialize_curl_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_library().global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  });
}

std::size_t append_to_string(char* data, std::size_t size, std::size_t count, void* target) {
  static_cast<std::string*>(target)->append(data, size * count);
  return size * count;
}

// Opens curl's sockets inside the network namespace whose descriptor `clientp` points at:
// the calling thread enters it for socket() alone and returns to its own (setns is per thread,
// and a socket stays in the namespace it was made in).
curl_socket_t open_socket_in_namespace(void* clientp, curlsocktype, curl_sockaddr* address) {
  curl_socket_t socket_fd = CURL_SOCKET_BAD;
  in_network_namespace(*static_cast<int*>(clientp), [&] {
    socket_fd = socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
  });
  return socket_fd;
}

}  // namespace

struct HttpConnection::Curl {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  int network_namespace_fd = -1;

  ~Curl() {
    if (easy != nullptr) curl_library().easy_cleanup(easy);
    if (headers != nullptr) curl_library().slist_free_all(headers);
    if (network_namespace_fd >= 0) close(network_namespace_fd);
  }
};

HttpConnection::HttpConnection(std::string base_url, std::int64_t request_timeout_ms, std::int64_t connect_timeout_ms,
                               const std::string& network_namespace)
    : base_url_(std::move(base_url)), curl_(std::make_unique<Curl>()) {
  initialize_curl_once();
  curl_->easy = curl_library().easy_init();
  if (curl_->easy == nullptr) throw std::runtime_error("curl_easy_init failed");
  // "Expect:" stops curl from waiting for 100-continue on larger bodies.
  curl_->headers = curl_library().slist_append(curl_->headers, "Content-Type: application/json");
  curl_->headers = curl_library().slist_append(curl_->headers, "Expect:");
  CURL* easy = curl_->easy;
  curl_library().easy_setopt(easy, CURLOPT_HTTPHEADER, curl_->headers);
  curl_library().easy_setopt(easy, CURLOPT_ERRORBUFFER, curl_->error);
  curl_library().easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_to_string);
  curl_library().easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(request_timeout_ms));
  curl_library().easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_timeout_ms));
  // Timeouts by signal would be process-wide; clients run on many threads.
  curl_library().easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_library().easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  // Nodes are on loopback: a proxy from the environment must not intercept them.
  curl_library().easy_setopt(easy, CURLOPT_PROXY, "");
  if (!network_namespace.empty()) {
    const std::string path = "/run/netns/" + network_namespace;
    curl_->network_namespace_fd = open_network_namespace(network_namespace);
    if (curl_->network_namespace_fd < 0)
      throw std::runtime_error("cannot open network namespace " + path + ": " + std::strerror(errno));
    curl_library().easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, open_socket_in_namespace);
    curl_library().easy_setopt(easy, CURLOPT_OPENSOCKETDATA, &curl_->network_namespace_fd);
  }
}

HttpConnection::~HttpConnection() = default;

std::string HttpConnection::escape_path_segment(const std::string& text) {
  char* escaped = curl_library().easy_escape(curl_->easy, text.data(), static_cast<int>(text.size()));
  if (escaped == nullptr) throw std::bad_alloc();
  std::string result(escaped);
  curl_library().free(escaped);
  return result;
}

HttpExchange HttpConnection::request(const std::string& method, const std::string& path, const std::string& body) {
  CURL* easy = curl_->easy;
  const std::string url = base_url_ + path;
  std::string reply;
  curl_->error[0] = '\0';
  curl_library().easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_library().easy_setopt(easy, CURLOPT_WRITEDATA, &reply);
  // The handle is reused, so every request sets its method from scratch.
  curl_library().easy_setopt(easy, CURLOPT_CUSTOMREQUEST, nullptr);
  if (method == "GET") {
    curl_library().easy_setopt(easy, CURLOPT_HTTPGET, 1L);
  } else {
    curl_library().easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_library().easy_setopt(easy, CURLOPT_COPYPOSTFIELDS, body.c_str());
    if (method != "POST") curl_library().easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method.c_str());
  }

  const CURLcode code = curl_library().easy_perform(easy);
  HttpExchange exchange;
  if (code == CURLE_OK) {
    exchange.delivery = Delivery::answered;
    curl_library().easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &exchange.status);
    exchange.body = std::move(reply);
    return exchange;
  }
  long request_bytes_sent = 0;
  curl_library().easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &request_bytes_sent);
  exchange.delivery = delivery_of_curl_error(code, request_bytes_sent);
  exchange.error = curl_->error[0] != '\0' ? std::string(curl_->error) : std::string(curl_library().easy_strerror(code));
  exchange.error += " (" + method + " " + url + ")";
  return exchange;
}

}  // namespace faultline
