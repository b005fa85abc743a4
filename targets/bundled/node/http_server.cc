#include "http_server.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <httplib.h>

#include "limits.h"

namespace faultline::node {
namespace {

using nlohmann::json;
using paxos::RegisterCommand;

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void bad_request(httplib::Response& res, const std::string& message) { reply(res, 400, {{"error", message}}); }

// The key from the path, or empty after answering 400.
std::string key_of(const httplib::Request& req, httplib::Response& res) {
  std::string key = req.matches[1];
  if (key.empty() || key.size() > key_bytes_max) {
    bad_request(res, "a key must have 1 to " + std::to_string(key_bytes_max) + " bytes");
    return {};
  }
  return key;
}

// The body as a JSON object, or nullopt after answering 400.
std::optional<json> body_of(const httplib::Request& req, httplib::Response& res) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    bad_request(res, "the body is not JSON");
    return std::nullopt;
  }
  if (!body.is_object()) {
    bad_request(res, "the body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

void run(KvService& service, const std::string& key, const RegisterCommand& command, httplib::Response& res) {
  OperationResult result;
  try {
    result = service.execute(key, command);
  } catch (const std::exception& e) {
    reply(res, 503, {{"error", std::string("internal error: ") + e.what()}, {"definite", false}});
    return;
  }
  switch (result.status) {
    case OperationResult::Status::ok:
      if (command.kind == RegisterCommand::Kind::read) reply(res, 200, {{"value", result.value}});
      else if (command.kind == RegisterCommand::Kind::txn) reply(res, 200, {{"txn", result.value}});
      else reply(res, 200, {{"ok", true}});
      return;
    case OperationResult::Status::cas_mismatch:
      reply(res, 409, {{"error", "cas failed: the current value is not " + command.from.dump()}, {"definite", true}});
      return;
    case OperationResult::Status::failed:
      reply(res, 503, {{"error", result.error}, {"definite", result.definite}});
      return;
  }
}

void add_routes(httplib::Server& server, KvService& service, const NodeOptions& options) {
  server.Get(R"(/kv/([^/]*))", [&service](const httplib::Request& req, httplib::Response& res) {
    const std::string key = key_of(req, res);
    if (!key.empty()) run(service, key, RegisterCommand{RegisterCommand::Kind::read, nullptr, nullptr, nullptr}, res);
  });
  server.Put(R"(/kv/([^/]*))", [&service](const httplib::Request& req, httplib::Response& res) {
    const std::string key = key_of(req, res);
    if (key.empty()) return;
    auto body = body_of(req, res);
    if (!body) return;
    if (!body->contains("value")) return bad_request(res, "field 'value' is missing: expected {\"value\": v}");
    run(service, key, RegisterCommand{RegisterCommand::Kind::write, (*body)["value"], nullptr, nullptr}, res);
  });
  server.Post(R"(/kv/([^/]*)/cas)", [&service](const httplib::Request& req, httplib::Response& res) {
    const std::string key = key_of(req, res);
    if (key.empty()) return;
    auto body = body_of(req, res);
    if (!body) return;
    if (!body->contains("from") || !body->contains("to"))
      return bad_request(res, "fields 'from' and 'to' are required: expected {\"from\": a, \"to\": b}");
    run(service, key, RegisterCommand{RegisterCommand::Kind::cas, nullptr, (*body)["from"], (*body)["to"]}, res);
  });
  server.Post("/txn", [&service](const httplib::Request& req, httplib::Response& res) {
    auto body = body_of(req, res);
    if (!body) return;
    if (!body->contains("txn")) return bad_request(res, "field 'txn' is missing: expected {\"txn\": [[f, key, value], ...]}");
    const json& micro_ops = (*body)["txn"];
    if (auto bad = paxos::txn_micro_ops_error(micro_ops)) return bad_request(res, "field 'txn': " + *bad);
    if (micro_ops.size() > txn_micro_ops_max)
      return bad_request(res, "field 'txn': at most " + std::to_string(txn_micro_ops_max) + " micro-operations");
    for (const json& micro_op : micro_ops)
      if (micro_op[1].dump().size() > key_bytes_max)
        return bad_request(res, "field 'txn': a key must have 1 to " + std::to_string(key_bytes_max) + " bytes");
    run(service, paxos::txn_register_key, RegisterCommand{RegisterCommand::Kind::txn, micro_ops, nullptr, nullptr}, res);
  });
  server.Get("/health", [&options](const httplib::Request&, httplib::Response& res) {
    reply(res, 200, {{"ok", true}, {"id", options.id}});
  });
  server.Get("/status", [&service](const httplib::Request&, httplib::Response& res) { reply(res, 200, service.status()); });
  server.Post("/admin/clock", [&service](const httplib::Request& req, httplib::Response& res) {
    auto body = body_of(req, res);
    if (!body) return;
    if (!body->contains("offset_ms") || !(*body)["offset_ms"].is_number_integer())
      return bad_request(res, "field 'offset_ms' must be an integer: expected {\"offset_ms\": x}");
    service.set_clock_offset_ms((*body)["offset_ms"].get<std::int64_t>());
    reply(res, 200, {{"ok", true}, {"offset_ms", (*body)["offset_ms"]}});
  });
  server.Post(R"(/internal/(\w+))", [&service](const httplib::Request& req, httplib::Response& res) {
    // A peer's batch of requests is an array of them (peer_client.h); the service answers each.
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded()) return bad_request(res, "the body is not JSON");
    if (!body.is_object() && !body.is_array()) return bad_request(res, "the body must be a JSON object or array");
    InternalReply answer = service.internal(req.matches[1], body);
    reply(res, answer.http_status, answer.body);
  });
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) return reply(res, 404, {{"error", "no route " + req.method + " " + req.path}});
    if (res.status == 413) return reply(res, 413, {{"error", "the body is too large"}});
    reply(res, res.status, {{"error", "HTTP " + std::to_string(res.status)}});
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    reply(res, 500, {{"error", "internal error: " + what}});
  });
}

}  // namespace

std::expected<void, std::string> check_can_listen(const Address& address) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(address.host.c_str(), std::to_string(address.port).c_str(), &hints, &found) != 0 || !found)
    return std::unexpected("cannot listen on " + address.to_string() + ": unknown host " + address.host);
  int fd = ::socket(found->ai_family, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int result = fd < 0 ? -1 : ::bind(fd, found->ai_addr, found->ai_addrlen);
  int error = errno;
  if (fd >= 0) ::close(fd);
  if (result != 0 && error == EADDRINUSE) {
    // After a kill -9 the dead node's connections linger (FIN-WAIT-2) and block a plain bind,
    // though the server's SO_REUSEPORT bind will succeed. The port is really in use only when
    // something accepts connections on it.
    int probe = ::socket(found->ai_family, SOCK_STREAM, 0);
    const bool listening = probe >= 0 && ::connect(probe, found->ai_addr, found->ai_addrlen) == 0;
    if (probe >= 0) ::close(probe);
    if (!listening) result = 0;
  }
  ::freeaddrinfo(found);
  if (result != 0) return std::unexpected("cannot listen on " + address.to_string() + ": " + std::strerror(error));
  return {};
}

std::expected<void, std::string> serve(KvService& service, const NodeOptions& options) {
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(http_server_threads); };
  server.set_payload_max_length(request_body_bytes_max);
  server.set_keep_alive_max_count(1'000'000);
  server.set_keep_alive_timeout(http_keep_alive_timeout_s);
  server.set_tcp_nodelay(true);  // otherwise Nagle and delayed ACKs add 40 ms to every reply
  add_routes(server, service, options);
  if (!server.bind_to_port(options.listen.host, options.listen.port)) {
    auto why = check_can_listen(options.listen);
    return std::unexpected(why ? "cannot listen on " + options.listen.to_string() : why.error());
  }
  // SIGINT/SIGTERM were blocked by main before any thread started; this thread takes them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  std::thread stopper([name = options.id, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    // Every acknowledged write is already durable, so stopping is just exiting. (A graceful
    // httplib stop would wait for the peers' idle keep-alive connections.)
    std::fprintf(stderr, "faultline-node %s: stopped by signal %d\n", name.c_str(), signal);
    std::_Exit(0);
  });
  stopper.detach();
  if (!server.listen_after_bind()) return std::unexpected("the server on " + options.listen.to_string() + " stopped");
  return {};
}

}  // namespace faultline::node
