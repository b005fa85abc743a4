#include "store_server.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include <httplib.h>

#include "serve_access.h"
#include "serve_limits.h"
#include "store_scan.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// Every response: nothing is fetched from outside the page (the reports need nothing), no
// sniffing of types, no referrer.
void set_safety_headers(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
                 "base-uri 'none'; form-action 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("Cache-Control", "no-store");
}

void refuse(httplib::Response& res, int status, const std::string& reason) {
  res.status = status;
  res.set_content(reason + "\n", "text/plain; charset=utf-8");
}

void send_listing(const StoreServerOptions& options, httplib::Response& res) {
  const StoreScan scan = scan_store(options.store);
  std::ostringstream page;
  write_run_listing_html(page, scan.runs, {options.store.string(), scan.runs_found});
  res.set_content(page.str(), "text/html; charset=utf-8");
}

void send_file(const fs::path& canonical_store, const httplib::Request& req, httplib::Response& res) {
  auto file = resolve_store_file(canonical_store, req.path);
  if (!file) return refuse(res, file.error().http_status, file.error().reason);
  std::error_code error;
  const std::uintmax_t size = fs::file_size(*file, error);
  auto in = std::make_shared<std::ifstream>(*file, std::ios::binary);
  if (error || !*in) return refuse(res, 404, "cannot read the file");
  // Streamed in chunks; a file that grows meanwhile (a running test's history) is sent as it was.
  res.set_content_provider(size, content_type_of(*file), [in](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
    std::vector<char> buffer(std::min(length, file_chunk_bytes));
    in->seekg(static_cast<std::streamoff>(offset));
    in->read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = in->gcount();
    if (got <= 0) return false;
    sink.write(buffer.data(), static_cast<std::size_t>(got));
    return true;
  });
}

}  // namespace

std::expected<void, std::string> serve_store(const StoreServerOptions& options,
                                             const std::function<void(int port)>& on_listening) {
  std::error_code error;
  const fs::path canonical_store = fs::canonical(options.store, error);
  if (error || !fs::is_directory(canonical_store))
    return std::unexpected("the store " + options.store.string() + " is not a directory");

  // The signals go to the stopper thread below, not to whichever thread the kernel picks;
  // threads started from here on (httplib's pool) inherit the mask.
  sigset_t stop_signals, previous_mask;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous_mask);

  httplib::Server server;
  server.set_keep_alive_timeout(keep_alive_timeout_s);
  server.set_pre_routing_handler([&options](const httplib::Request& req, httplib::Response& res) {
    set_safety_headers(res);
    if (!options.allow_remote && !host_header_is_loopback(req.get_header_value("Host"))) {
      refuse(res, 403, "this server answers only requests addressed to a loopback name (see --allow-remote)");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.Get("/", [&options](const httplib::Request&, httplib::Response& res) { send_listing(options, res); });
  server.Get(".*", [&canonical_store](const httplib::Request& req, httplib::Response& res) {
    send_file(canonical_store, req, res);
  });
  server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    std::fprintf(stderr, "%s %s %d\n", req.method.c_str(), req.path.c_str(), res.status);
  });

  int port = options.port;
  if (port == 0) port = server.bind_to_any_port(options.host);
  else if (!server.bind_to_port(options.host, port)) port = -1;
  if (port <= 0) {
    pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
    return std::unexpected("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                           " (in use, or not an address of this machine)");
  }

  // The first signal stops the server; a second one exits at once. After the server has
  // stopped, `finished` tells the thread to end, woken by a signal sent to it alone.
  std::atomic<bool> finished{false}, stop_requested{false};
  std::thread stopper([&] {
    int signal = 0, signals_received = 0;
    while (sigwait(&stop_signals, &signal) == 0 && !finished.load()) {
      if (++signals_received > 1) _exit(128 + signal);
      std::fprintf(stderr, "faultline serve: stopping (signal %d)\n", signal);
      stop_requested.store(true);
      // httplib ignores stop() until its accept loop runs: a signal right at the start waits
      // for that (microseconds), or for the loop to have ended on its own.
      while (!server.is_running() && !finished.load()) std::this_thread::yield();
      server.stop();
    }
  });
  on_listening(port);
  server.listen_after_bind();
  finished.store(true);
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask, nullptr);
  if (!stop_requested.load()) return std::unexpected("the server on " + options.host + ":" + std::to_string(port) + " stopped");
  return {};
}

}  // namespace faultline
