// `faultline serve` end to end: the binary on a free port over a temporary store of
// fabricated runs, spoken to over a plain socket (so that raw paths like /../ reach it as
// written), then stopped with SIGINT. No sleeps: readiness and exit are read from its stdout.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto start_deadline = std::chrono::seconds(10);
constexpr auto stop_deadline = std::chrono::seconds(10);
constexpr int response_timeout_s = 10;

fs::path faultline_binary() {
  const char* dir = std::getenv("FAULTLINE_BIN");
  return fs::path(dir != nullptr ? dir : "build/bin") / "faultline";
}

// A store with two runs, a `latest` link, a link out of the store, and a secret beside it.
struct FabricatedStore {
  fs::path root, store;
  FabricatedStore() : root(fs::temp_directory_path() / ("faultline-serve-e2e-" + std::to_string(std::random_device{}()))) {
    store = root / "store";
    add_run("paxos-register", "20261122T132959", R"({"valid": false, "name": "paxos-register"})",
            R"({"protocol": "paxos", "nodes": 3, "read_quorum": 0, "write_quorum": 0, "nemesis": ["kill", "pause"],
                "workload": "register", "seed": 7, "bug": "paxos-promise-drops-accepted"})");
    add_run("<b>odd name", "20261121T080000", R"({"valid": true})",
            R"({"protocol": "quorum", "nodes": 5, "read_quorum": 2, "write_quorum": 4, "nemesis": [], "workload": "kv", "seed": 12})");
    fs::create_directory_symlink("20261122T132959", store / "paxos-register" / "latest");
    std::ofstream(root / "secret.txt") << "SECRET-OUTSIDE-THE-STORE";
    fs::create_symlink(root / "secret.txt", store / "paxos-register" / "20261122T132959" / "nodes" / "escape.log");
  }
  ~FabricatedStore() { fs::remove_all(root); }
  void add_run(const std::string& name, const std::string& id, const std::string& results, const std::string& test) {
    const fs::path run = store / name / id;
    fs::create_directories(run / "nodes");
    std::ofstream(run / "results.json") << results;
    std::ofstream(run / "test.json") << test;
    std::ofstream(run / "history.jsonl") << R"({"index":0,"time":1,"process":0,"type":"invoke","f":"read","value":null})" << '\n';
    std::ofstream(run / "report.html") << "<!DOCTYPE html><title>report of " << id << "</title>";
    std::ofstream(run / "nodes" / "n1.log") << "node n1 log line\n";
  }
};

// faultline serve as a child process, its stdout read through a pipe.
struct Server {
  pid_t pid = -1;
  int stdout_fd = -1;
  std::string output;
  int port = 0;

  explicit Server(const std::vector<std::string>& arguments, const fs::path& stderr_file) {
    int pipe_fds[2];
    REQUIRE(pipe(pipe_fds) == 0);
    pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      dup2(pipe_fds[1], 1);
      int err = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(err, 2);
      close(pipe_fds[0]);
      std::string binary = faultline_binary().string();
      std::vector<char*> argv = {binary.data()};
      std::vector<std::string> copy = arguments;
      for (std::string& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
    close(pipe_fds[1]);
    stdout_fd = pipe_fds[0];
  }
  ~Server() {
    if (pid > 0) {  // a failed test: end the server we started
      kill(pid, SIGKILL);
      waitpid(pid, nullptr, 0);
    }
    if (stdout_fd >= 0) close(stdout_fd);
  }

  // Reads stdout until `done(output)`; false at EOF or at the deadline.
  template <typename Done>
  bool read_until(Done done, Clock::duration limit) {
    const auto deadline = Clock::now() + limit;
    char buffer[4096];
    while (!done(output)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd p{stdout_fd, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      const ssize_t n = read(stdout_fd, buffer, sizeof buffer);
      if (n <= 0) return false;
      output.append(buffer, static_cast<std::size_t>(n));
    }
    return true;
  }

  bool wait_until_listening() {
    static const std::regex url(R"(http://127\.0\.0\.1:(\d+)/)");
    std::smatch match;
    if (!read_until([&](const std::string& text) { return std::regex_search(text, match, url); }, start_deadline)) return false;
    port = std::stoi(match[1]);
    return true;
  }

  // Its exit code, once its stdout has closed; -1 if that did not happen by the deadline.
  int wait_for_exit() {
    const auto deadline = Clock::now() + stop_deadline;
    char buffer[4096];
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return -1;
      pollfd p{stdout_fd, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      const ssize_t n = read(stdout_fd, buffer, sizeof buffer);
      if (n <= 0) break;
      output.append(buffer, static_cast<std::size_t>(n));
    }
    int status = 0;
    waitpid(pid, &status, 0);  // its stdout closes as it exits: this returns at once
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  int interrupt_and_wait() {
    kill(pid, SIGINT);
    return wait_for_exit();
  }
};

struct Response {
  int status = 0;
  std::string headers, body;
};

// One request over a fresh connection, the path sent exactly as given.
Response http_get(int port, const std::string& path, const std::string& host = "") {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  timeval timeout{response_timeout_s, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: " +
                              (host.empty() ? "127.0.0.1:" + std::to_string(port) : host) + "\r\nConnection: close\r\n\r\n";
  REQUIRE(send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string raw;
  char buffer[8192];
  for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) raw.append(buffer, static_cast<std::size_t>(n));
  close(fd);
  Response response;
  const std::size_t header_end = raw.find("\r\n\r\n");
  REQUIRE(header_end != std::string::npos);
  response.headers = raw.substr(0, header_end);
  response.body = raw.substr(header_end + 4);
  response.status = std::stoi(raw.substr(raw.find(' ') + 1, 3));
  return response;
}

}  // namespace

TEST_CASE("serve lists the runs, serves their files, refuses what leaves the store, and stops on SIGINT") {
  FabricatedStore s;
  Server server({"serve", "--store", s.store.string(), "--port", "0"}, s.root / "serve-stderr.txt");
  REQUIRE(server.wait_until_listening());
  INFO(server.output);

  const Response listing = http_get(server.port, "/");
  CHECK(listing.status == 200);
  CHECK(listing.headers.find("Content-Type: text/html") != std::string::npos);
  CHECK(listing.headers.find("Content-Security-Policy: default-src 'none'") != std::string::npos);
  const std::size_t newest = listing.body.find("<a href=\"paxos-register/20261122T132959/report.html\">paxos-register</a>");
  const std::size_t oldest = listing.body.find("&lt;b&gt;odd name");
  CHECK(newest != std::string::npos);
  CHECK(oldest != std::string::npos);
  CHECK(newest < oldest);
  CHECK(listing.body.find("<span class=\"verdict invalid\">invalid</span>") != std::string::npos);
  CHECK(listing.body.find("<td>3 / majority / majority</td><td>kill, pause</td><td>register") != std::string::npos);
  CHECK(listing.body.find("<td>5 / 2 / 4</td><td>none</td><td>kv</td><td>12</td>") != std::string::npos);
  CHECK(listing.body.find("<b>") == std::string::npos);

  const Response report = http_get(server.port, "/paxos-register/20261122T132959/report.html");
  CHECK(report.status == 200);
  CHECK(report.body == "<!DOCTYPE html><title>report of 20261122T132959</title>");
  CHECK(http_get(server.port, "/paxos-register/latest/report.html").body == report.body);
  // The odd name's link, as the listing percent-encodes it, leads to its report.
  const Response odd = http_get(server.port, "/%3Cb%3Eodd%20name/20261121T080000/report.html");
  CHECK(odd.status == 200);
  CHECK(odd.body.find("report of 20261121T080000") != std::string::npos);
  const Response log = http_get(server.port, "/paxos-register/20261122T132959/nodes/n1.log");
  CHECK(log.status == 200);
  CHECK(log.headers.find("Content-Type: text/plain; charset=utf-8") != std::string::npos);
  CHECK(log.body == "node n1 log line\n");
  CHECK(http_get(server.port, "/paxos-register/20261122T132959/history.jsonl").status == 200);

  for (const std::string path : {"/../secret.txt", "/paxos-register/../../secret.txt", "/%2e%2e/secret.txt",
                                 "/paxos-register/%2E%2E/%2e%2e/secret.txt", "/paxos-register/20261122T132959/nodes/escape.log",
                                 "/paxos-register/no-such-run/report.html"}) {
    const Response refused = http_get(server.port, path);
    INFO(path << " -> " << refused.status << " " << refused.body);
    CHECK(refused.status >= 400);
    CHECK(refused.status < 500);
    CHECK(refused.body.find("SECRET-OUTSIDE-THE-STORE") == std::string::npos);
  }
  CHECK(http_get(server.port, "/../secret.txt").status == 400);
  CHECK(http_get(server.port, "/paxos-register/20261122T132959/nodes/escape.log").status == 403);
  // A page on another name re-bound to 127.0.0.1 (DNS rebinding) is refused.
  CHECK(http_get(server.port, "/", "evil.example:" + std::to_string(server.port)).status == 403);

  CHECK(server.interrupt_and_wait() == 0);
  CHECK(server.output.find("faultline serve: stopped") != std::string::npos);
}

TEST_CASE("serve refuses a non-loopback host unless --allow-remote, and a missing store") {
  FabricatedStore s;
  {
    Server server({"serve", "--store", s.store.string(), "--host", "0.0.0.0", "--port", "0"}, s.root / "err1.txt");
    CHECK(server.wait_for_exit() == 3);
  }
  std::ifstream err1(s.root / "err1.txt");
  const std::string message((std::istreambuf_iterator<char>(err1)), {});
  CHECK(message.find("--host 0.0.0.0 is not a loopback address") != std::string::npos);
  CHECK(message.find("--allow-remote") != std::string::npos);
  {
    Server server({"serve", "--store", (s.root / "no-such-store").string(), "--port", "0"}, s.root / "err2.txt");
    CHECK(server.wait_for_exit() == 3);
  }
}
