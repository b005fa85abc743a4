// `faultline serve`: a small web server over a store. "/" lists every run, newest first,
// with its verdict and configuration; each run's files (report.html, history.jsonl,
// nodes/*.log, ...) are served from the store and from nowhere else. Loopback by default.
#include <iostream>

#include <CLI/CLI.hpp>

#include "command.h"
#include "serve_access.h"
#include "store_server.h"

namespace faultline {
namespace {

int run_serve(const StoreServerOptions& options) {
  if (!is_loopback_host(options.host) && !options.allow_remote) {
    std::cerr << "faultline serve: --host " << options.host
              << " is not a loopback address: anyone who can reach it could read every run's history and logs. "
                 "Add --allow-remote to serve it there anyway.\n";
    return exit_input_error;
  }
  auto served = serve_store(options, [&options](int port) {
    const bool v6 = options.host.find(':') != std::string::npos;
    std::cout << "faultline serve: the runs of " << options.store.string() << " at http://"
              << (v6 ? "[" + options.host + "]" : options.host) << ":" << port << "/ (Ctrl-C stops)" << std::endl;
  });
  if (!served) {
    std::cerr << "faultline serve: " << served.error() << '\n';
    return exit_input_error;
  }
  std::cout << "faultline serve: stopped" << std::endl;
  return exit_valid;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<StoreServerOptions>();
  options->store = "store";
  CLI::App* serve = app.add_subcommand("serve", serve_command_description);
  serve->add_option("--store", options->store, "The store directory, as given to `faultline test --store`")
      ->capture_default_str()
      ->check(CLI::ExistingDirectory);
  serve->add_option("--port", options->port, "TCP port to listen on; 0 picks a free port (printed on start)")
      ->capture_default_str()
      ->check(CLI::Range(0, 65535));
  serve->add_option("--host", options->host,
                    "Address to listen on. Loopback only (127.0.0.1, ::1, localhost) unless --allow-remote is "
                    "given: a non-loopback address is refused, as the store's histories and logs would be readable "
                    "by anyone who can reach it")
      ->capture_default_str();
  serve->add_flag("--allow-remote", options->allow_remote,
                  "Allow a non-loopback --host, and answer requests whatever name they address the server by "
                  "(without it, requests whose Host header is not a loopback name are refused: no DNS rebinding)");
  serve->callback([options, &exit_code] { exit_code = run_serve(*options); });
}

}  // namespace faultline
