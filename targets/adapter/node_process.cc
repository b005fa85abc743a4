#include "node_process.h"

#include <fstream>

#include "adapter_limits.h"

#include <chrono>

#include <filesystem>

#include <thread>

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

// Boost.Process is slow to compile: this is the only file that includes it.
#include <boost/process.hpp>
#include <boost/process/extend.hpp>

#include "launcher_thread.h"

namespace faultline {

namespace bp = boost::process;

struct NodeProcess::Child {
  bp::child child;
};

namespace {

std::string quoted_command(const ProcessSpec& spec) {
  std::string text = spec.binary.string();
  for (const std::string& argument : spec.arguments) text += " " + argument;
  return text;
}

// Closes a file descriptor on every way out of a scope.
struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

NodeProcess::NodeProcess(ProcessSpec spec) : spec_(std::move(spec)) {}

NodeProcess::~NodeProcess() {
  kill();
  if (pidfd_ >= 0) ::close(pidfd_);
}

TargetResult<void> NodeProcess::start() {
  if (is_running()) return std::unexpected(TargetError{"process " + std::to_string(pid_) + " is already running"});
  if (::access(spec_.binary.c_str(), X_OK) != 0)
    return std::unexpected(TargetError{"cannot execute " + spec_.binary.string() + ": " + std::strerror(errno)});

  FileDescriptor log{::open(spec_.log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)};
  if (log.fd < 0)
    return std::unexpected(TargetError{"cannot open log " + spec_.log.string() + ": " + std::strerror(errno)});
  // A header per start, so a restarted node's log says where each run begins.
  const std::string header = "--- faultline: starting " + quoted_command(spec_) + "\n";
  [[maybe_unused]] const ssize_t written = ::write(log.fd, header.data(), header.size());

  const pid_t controller = ::getpid();
  const int log_fd = log.fd;
  // Runs in the child between fork and exec: async-signal-safe calls only.
  auto prepare_child = [controller, log_fd](auto& executor) {
    auto fail = [&executor](const char* what) {
      executor.set_error(std::error_code(errno, std::system_category()), what);
      ::_exit(127);
    };
    if (::setpgid(0, 0) != 0) fail("setpgid");
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail("prctl(PR_SET_PDEATHSIG)");
    // The controller may have died before prctl took effect; then nobody would kill us.
    if (::getppid() != controller) ::_exit(127);
    if (::dup2(log_fd, STDOUT_FILENO) < 0 || ::dup2(log_fd, STDERR_FILENO) < 0) fail("dup2(log)");
    // Keep the controller's other descriptors (client sockets to other nodes, other logs)
    // out of the node: a socket held open by a node would keep a connection alive after
    // the client closed it.
    ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
  };

  std::error_code error;
  bp::child child;
  bp::environment environment = boost::this_process::environment();
  for (const auto& [name, value] : spec_.environment) environment[name] = value;
  run_on_launcher_thread([&] {
    child = bp::child(bp::exe(spec_.binary.string()), bp::args(spec_.arguments), bp::std_in < bp::null, environment,
                      bp::extend::on_exec_setup(prepare_child), error);
  });
  if (error || !child.valid())
    return std::unexpected(TargetError{"cannot start " + quoted_command(spec_) + ": " + error.message()});

  pid_ = child.id();
  assert(pid_ > 1);
  child_ = std::make_unique<Child>(Child{std::move(child)});
  if (pidfd_ >= 0) ::close(pidfd_);
  // glibc 2.36's <sys/pidfd.h> lacks extern "C", so the system call directly.
  pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0U));
  paused_ = false;
  exit_code_.reset();
  return {};
}

void NodeProcess::signal_group(int signal_number) {
  // The leader is not reaped yet, so this group id is still ours.
  assert(pid_ > 1 && child_ != nullptr);
  ::kill(-pid_, signal_number);
}

void NodeProcess::reap() {
  std::error_code ignored;
  child_->child.wait(ignored);
  const int status = child_->child.native_exit_code();
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : WIFSIGNALED(status) ? 128 + WTERMSIG(status) : status;
  child_.reset();
  pid_ = -1;
  paused_ = false;
  if (pidfd_ >= 0) ::close(pidfd_);
  pidfd_ = -1;
}

bool NodeProcess::is_running() {
  if (child_ == nullptr) return false;
  if (pidfd_ >= 0) {
    pollfd ready{pidfd_, POLLIN, 0};
    if (::poll(&ready, 1, 0) == 0) return true;
    reap();
    return false;
  }
  std::error_code ignored;
  if (child_->child.running(ignored)) return true;
  reap();
  return false;
}

void NodeProcess::kill() {
  if (!is_running()) return;
  signal_group(SIGKILL);
  reap();
}

namespace {

// Whether every thread of `pid` is stopped (state T in /proc/PID/task/*/stat).
bool all_threads_stopped(pid_t pid) {
  std::error_code error;
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream stat(task.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    const std::size_t after_name = text.rfind(')');
    if (after_name == std::string::npos || after_name + 2 >= text.size()) continue;  // the thread just ended
    if (text[after_name + 2] != 'T' && text[after_name + 2] != 't') return false;
  }
  return !error;
}

}  // namespace

void NodeProcess::pause() {
  if (!is_running()) return;
  signal_group(SIGSTOP);
  paused_ = true;
  // SIGSTOP is delivered asynchronously: until every thread has stopped, the node may still
  // answer a request. Wait (bounded) so that "paused" means paused when this returns.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(pause_settle_ms_max);
  while (!all_threads_stopped(pid_) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

void NodeProcess::resume() {
  if (!is_running()) return;
  signal_group(SIGCONT);
  paused_ = false;
}

void NodeProcess::request_termination() {
  if (!is_running()) return;
  // A stopped process would not act on SIGTERM until continued.
  signal_group(SIGCONT);
  signal_group(SIGTERM);
  paused_ = false;
}

bool NodeProcess::wait_for_exit(std::chrono::steady_clock::time_point deadline) {
  while (is_running()) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    if (pidfd_ < 0) {
      // No pidfd (an old kernel): block until exit, there is no bounded way to wait.
      reap();
      return true;
    }
    pollfd ready{pidfd_, POLLIN, 0};
    ::poll(&ready, 1, static_cast<int>(left.count()));
  }
  return true;
}

void NodeProcess::terminate(std::chrono::milliseconds grace) {
  request_termination();
  if (!wait_for_exit(std::chrono::steady_clock::now() + grace)) kill();
}

std::string NodeProcess::status_text() const {
  if (child_ != nullptr) return paused_ ? "paused" : "running";
  if (!exit_code_) return "not started";
  if (*exit_code_ > 128) return "killed by signal " + std::to_string(*exit_code_ - 128);
  return "exited with code " + std::to_string(*exit_code_);
}

std::string NodeProcess::log_tail(std::size_t bytes_max) const { return read_file_tail(spec_.log, bytes_max); }

std::string read_file_tail(const std::filesystem::path& path, std::size_t bytes_max) {
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) return "";
  const std::streamoff size = file.tellg();
  const std::streamoff start = size > static_cast<std::streamoff>(bytes_max) ? size - bytes_max : 0;
  file.seekg(start);
  std::string tail(static_cast<std::size_t>(size - start), '\0');
  file.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  if (start > 0) {
    const auto newline = tail.find('\n');
    if (newline != std::string::npos) tail.erase(0, newline + 1);
  }
  return tail;
}

}  // namespace faultline
