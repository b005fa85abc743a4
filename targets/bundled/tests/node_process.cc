#include "node_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace faultline::testing {
namespace {

constexpr std::int64_t poll_interval_ms = 20;

pid_t spawn(const std::vector<std::string>& args, const std::filesystem::path& log) {
  const std::string binary = node_binary();
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test, even when it aborts
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

namespace {
std::string& node_binary_override() {
  static std::string path;
  return path;
}
}  // namespace

std::string node_binary() { return node_binary_override().empty() ? FAULTLINE_NODE_BINARY : node_binary_override(); }
void set_node_binary(std::string path) { node_binary_override() = std::move(path); }

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

HttpReply http(const std::string& method, const std::string& url, const std::string& body, std::int64_t timeout_ms) {
  HttpReply reply;
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method != "GET") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return reply;
}

ProcessExit run_node_to_exit(const std::vector<std::string>& args, std::int64_t deadline_ms) {
  char pattern[] = "/tmp/faultline-node-exit-XXXXXX";
  const int fd = ::mkstemp(pattern);
  ::close(fd);
  const std::filesystem::path log = pattern;
  const pid_t pid = spawn(args, log);
  ProcessExit result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.output = slurp(log) + "\n(still running at the deadline)";
      std::filesystem::remove(log);
      return result;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(poll_interval_ms));
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.output = slurp(log);
  std::filesystem::remove(log);
  return result;
}

NodeProcess::NodeProcess(std::vector<std::string> args, std::uint16_t port, std::filesystem::path log)
    : args_(std::move(args)), port_(port), log_(std::move(log)) {}

NodeProcess::~NodeProcess() { kill_9(); }

void NodeProcess::start() {
  if (pid_ <= 0) pid_ = spawn(args_, log_);
}

bool NodeProcess::wait_healthy(std::int64_t deadline_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (http("GET", url() + "/health", "", 500).status == 200) return true;
    int status = 0;
    if (pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;  // it exited: never healthy
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(poll_interval_ms));
  }
  return false;
}

void NodeProcess::kill_9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string NodeProcess::log() const { return slurp(log_); }

}  // namespace faultline::testing
