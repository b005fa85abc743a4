#include "system_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pthread.h>

#include <cerrno>
#include <ctime>
#include <fstream>
#include <sstream>

namespace faultline::netns {

namespace {

// A command that exits before reading all its input must not end the controller by SIGPIPE:
// the signal is blocked on this thread for the write, and a pending one is consumed.
ssize_t write_without_sigpipe(int fd, const char* data, std::size_t size) {
  sigset_t pipe_signal, previous;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, &previous);
  const ssize_t n = write(fd, data, size);
  if (n < 0 && errno == EPIPE) {
    const timespec no_wait{0, 0};
    sigtimedwait(&pipe_signal, nullptr, &no_wait);
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return n;
}

}  // namespace

CommandResult run_command(const std::vector<std::string>& arguments, const std::string& input) {
  CommandResult result;
  int to_child[2], from_child[2];
  if (pipe2(to_child, O_CLOEXEC) != 0) return result;
  if (pipe2(from_child, O_CLOEXEC) != 0) {
    close(to_child[0]);
    close(to_child[1]);
    return result;
  }
  std::vector<char*> argv;
  std::vector<std::string> copy = arguments;
  for (std::string& argument : copy) argv.push_back(argument.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    // A group of its own: a Ctrl-C at the terminal goes to the controller, which then cleans up
    // with these commands (ssh to hosts, iptables), rather than to the commands themselves.
    setpgid(0, 0);
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    dup2(from_child[1], 2);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  if (pid < 0) {
    close(to_child[1]);
    close(from_child[0]);
    result.output = "fork failed";
    return result;
  }
  // Feed the input and read the output together, so neither side can block the other.
  std::size_t written = 0;
  int writer = to_child[1];
  if (input.empty()) {
    close(writer);
    writer = -1;
  }
  char buffer[4096];
  int reader = from_child[0];
  while (reader >= 0) {
    pollfd fds[2] = {{reader, POLLIN, 0}, {writer, POLLOUT, 0}};
    if (poll(fds, writer >= 0 ? 2 : 1, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (writer >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = write_without_sigpipe(writer, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (n < 0 || written == input.size()) {
        close(writer);
        writer = -1;
      }
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = read(reader, buffer, sizeof buffer);
      if (n > 0) {
        result.output.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(reader);
        reader = -1;
      }
    }
  }
  if (writer >= 0) close(writer);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string describe_failure(const std::vector<std::string>& arguments, const CommandResult& result) {
  std::string command;
  for (const std::string& argument : arguments) command += (command.empty() ? "" : " ") + argument;
  std::string output = result.output;
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  if (result.exit_code == 127 && output.empty()) output = "could not be run (is it installed?)";
  return command + ": exit " + std::to_string(result.exit_code) + (output.empty() ? "" : ": " + output);
}

std::optional<std::uint64_t> process_start_ticks(std::int64_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  const std::size_t name_end = text.rfind(')');  // the command name may hold spaces
  if (name_end == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(name_end + 2));
  std::string field;
  // After the name: state is field 3, so start time (22) is the 20th from here.
  for (int i = 3; i <= 22; ++i)
    if (!(fields >> field)) return std::nullopt;
  try {
    return std::stoull(field);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace faultline::netns
