// The HTTP server of `faultline serve`: "/" lists the store's runs (store_scan +
// reports/run_listing), any other path is a file of the store (serve_access decides which).
// Thin on purpose: the decisions are in those files, which are tested without a socket.
// Only store_server.cc includes <httplib.h>.
#pragma once

#include <expected>
#include <filesystem>
#include <functional>
#include <string>

namespace faultline {

struct StoreServerOptions {
  std::filesystem::path store;  // an existing directory
  std::string host = "127.0.0.1";
  int port = 8080;              // 0: any free port (on_listening says which)
  bool allow_remote = false;    // accept Host headers that are not loopback names
};

// Serves until SIGINT or SIGTERM, then stops (a second signal exits at once) and returns.
// Blocks SIGINT and SIGTERM in the calling thread while it runs, so call it before starting
// other threads. `on_listening(port)` is called once the socket listens. The error says why
// it could not listen.
std::expected<void, std::string> serve_store(const StoreServerOptions& options,
                                             const std::function<void(int port)>& on_listening);

}  // namespace faultline
