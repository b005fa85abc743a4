#include <filesystem>
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "serve_access.h"

using namespace faultline;
namespace fs = std::filesystem;

namespace {

// A store with one run, a `latest` link to it, a link out of the store, and a secret beside it.
struct StoreWithLinks {
  fs::path root;
  fs::path store;
  StoreWithLinks() : root(fs::temp_directory_path() / ("faultline-serve-access-" + std::to_string(std::random_device{}()))) {
    store = root / "store";
    fs::create_directories(store / "paxos" / "20261122T132959" / "nodes");
    std::ofstream(store / "paxos" / "20261122T132959" / "report.html") << "<p>report</p>";
    std::ofstream(store / "paxos" / "20261122T132959" / "nodes" / "n1.log") << "log";
    std::ofstream(store / "paxos" / ".hidden") << "hidden";
    std::ofstream(root / "secret.txt") << "secret";
    fs::create_directory_symlink("20261122T132959", store / "paxos" / "latest");
    fs::create_symlink(root / "secret.txt", store / "paxos" / "20261122T132959" / "escape.log");
    fs::create_directory_symlink(root, store / "paxos" / "outside");
    store = fs::canonical(store);
  }
  ~StoreWithLinks() { fs::remove_all(root); }
};

int status_of(const fs::path& store, std::string_view path) {
  auto resolved = resolve_store_file(store, path);
  return resolved ? 200 : resolved.error().http_status;
}

}  // namespace

TEST_CASE("the files of run directories are served, also through links inside the store") {
  StoreWithLinks s;
  auto report = resolve_store_file(s.store, "/paxos/20261122T132959/report.html");
  REQUIRE(report);
  CHECK(*report == s.store / "paxos" / "20261122T132959" / "report.html");
  CHECK(status_of(s.store, "/paxos/20261122T132959/nodes/n1.log") == 200);
  auto through_latest = resolve_store_file(s.store, "/paxos/latest/report.html");
  REQUIRE(through_latest);
  CHECK(*through_latest == *report);
  for (std::string_view run_dir : {"/paxos/latest/", "/paxos/20261122T132959/"}) {
    auto directory = resolve_store_file(s.store, run_dir);  // a run directory with a trailing slash: its report
    REQUIRE(directory);
    CHECK(*directory == *report);
  }
  CHECK(status_of(s.store, "/paxos/") == 404);  // a folder of runs has no report of its own
}

TEST_CASE("paths that could leave the store are refused before any lookup") {
  StoreWithLinks s;
  for (std::string_view path : {"/../secret.txt", "/paxos/../../secret.txt", "/paxos/./latest/report.html", "/..",
                                "//etc/passwd", "/paxos//latest/report.html", "/paxos/.hidden", "/paxos//",
                                "/paxos\\..\\..\\secret.txt", "relative/report.html", ""}) {
    INFO(path);
    CHECK(status_of(s.store, path) == 400);
  }
  CHECK(status_of(s.store, std::string_view("/paxos/\0x", 9)) == 400);
}

TEST_CASE("links out of the store are refused, what is not a file is not found") {
  StoreWithLinks s;
  CHECK(status_of(s.store, "/paxos/20261122T132959/escape.log") == 403);
  CHECK(status_of(s.store, "/paxos/outside/secret.txt") == 403);
  CHECK(status_of(s.store, "/paxos/20261122T132959") == 404);
  CHECK(status_of(s.store, "/paxos/20261122T132959/missing.jsonl") == 404);
}

TEST_CASE("loopback hosts and Host headers") {
  for (std::string_view host : {"127.0.0.1", "127.1.2.3", "::1", "localhost", "LocalHost"}) CHECK(is_loopback_host(host));
  for (std::string_view host : {"0.0.0.0", "10.0.0.1", "::", "example.com", "localhost.example.com", "128.0.0.1", ""})
    CHECK_FALSE(is_loopback_host(host));
  for (std::string_view header : {"127.0.0.1:8080", "localhost:80", "localhost", "[::1]:8080", "[::1]"})
    CHECK(host_header_is_loopback(header));
  for (std::string_view header : {"evil.example:8080", "", "[::1", "[::1]x", "10.0.0.1:8080", "127.0.0.1.evil.example:80"})
    CHECK_FALSE(host_header_is_loopback(header));
}

TEST_CASE("content types: pages as HTML, histories and logs as text") {
  CHECK(content_type_of("a/report.html") == "text/html; charset=utf-8");
  CHECK(content_type_of("a/history.jsonl") == "text/plain; charset=utf-8");
  CHECK(content_type_of("a/nodes/n1.log") == "text/plain; charset=utf-8");
  CHECK(content_type_of("a/data/acceptor.bin") == "application/octet-stream");
}
