#include "remote_process.h"

#include <algorithm>
#include <chrono>

namespace faultline {

namespace {
using Clock = std::chrono::steady_clock;

// How long kill waits on the host for the group to be gone, and how often it looks.
constexpr long kill_wait_ms_max = 10'000;
constexpr long remote_poll_interval_ms = 20;
constexpr const char* remote_poll_sleep = "0.02";  // remote_poll_interval_ms, for sleep(1)

// Waits on the host, up to `rounds` polls, while process `pid` is alive.
std::string wait_while_alive(pid_t pid, long rounds) {
  return "i=0; while " + process_alive_test(pid) + " && [ $i -lt " + std::to_string(rounds) + " ]; do sleep " +
         remote_poll_sleep + "; i=$((i+1)); done";
}
}  // namespace

std::string process_alive_test(pid_t pid) {
  // Field 3 of /proc/PID/stat is the state; the command name before it is in parentheses.
  const std::string p = std::to_string(pid);
  return "{ s=$(cat /proc/" + p + "/stat 2>/dev/null) && s=${s##*) } && [ \"${s%% *}\" != Z ]; }";
}

RemoteProcess::RemoteProcess(std::shared_ptr<const SshHost> host, ProcessSpec spec,
                             std::filesystem::path local_run_directory, std::string remote_run_directory,
                             std::string remote_binary)
    : host_(std::move(host)),
      spec_(std::move(spec)),
      local_run_directory_(local_run_directory.string()),
      remote_run_directory_(std::move(remote_run_directory)),
      remote_binary_(std::move(remote_binary)) {
  remote_log_ = on_host(spec_.log.string());
  std::string stem = remote_log_;
  if (stem.size() > 4 && stem.ends_with(".log")) stem.resize(stem.size() - 4);
  remote_exit_file_ = stem + ".exit";
  remote_pid_file_ = stem + ".pid";
}

RemoteProcess::~RemoteProcess() {
  if (running_) kill();
}

std::string RemoteProcess::on_host(const std::string& text) const {
  if (local_run_directory_.empty()) return text;
  std::string mapped = text;
  for (std::size_t at = mapped.find(local_run_directory_); at != std::string::npos;
       at = mapped.find(local_run_directory_, at + remote_run_directory_.size()))
    mapped.replace(at, local_run_directory_.size(), remote_run_directory_);
  return mapped;
}

std::string RemoteProcess::start_command() const {
  std::string program;
  for (const auto& [name, value] : spec_.environment) program += shell_quote(name + "=" + value) + " ";
  if (!spec_.environment.empty()) program = "env " + program;
  program += shell_quote(remote_binary_);
  for (const std::string& argument : spec_.arguments) program += " " + shell_quote(on_host(argument));
  // The wrapper outlives its program, so that "the group's leader is gone" means "the node is
  // gone": a SIGTERM to the group would end a plain sh at once while the program (etcd takes
  // seconds) goes on shutting down. A trap, unlike an ignored signal, is not inherited by the program.
  const std::string wrapper = "trap : TERM; " + program + "; echo $? > " + shell_quote(remote_exit_file_);
  // In the background of a shell without job control the child is no group leader, so setsid
  // makes it one in place: $! is the group's id.
  return "rm -f " + shell_quote(remote_exit_file_) + " && cd " + shell_quote(remote_run_directory_) +
         " && { setsid sh -c " + shell_quote(wrapper) + " >> " + shell_quote(remote_log_) +
         " 2>&1 < /dev/null & p=$!; echo $p > " + shell_quote(remote_pid_file_) + "; echo $p; }";
}

TargetResult<void> RemoteProcess::start() {
  if (running_) return std::unexpected(TargetError{"already running on " + host_->name()});
  const RemoteResult started = host_->run(start_command());
  pid_t pid = -1;
  try {
    pid = started.ok() ? static_cast<pid_t>(std::stoi(started.output)) : -1;
  } catch (const std::exception&) {
  }
  if (pid <= 0)
    return std::unexpected(TargetError{"could not start " + remote_binary_ + " on " + host_->name() + ": " +
                                       (started.output.empty() ? "no output" : started.output)});
  pid_ = pid;
  running_ = true;
  killed_ = false;
  exit_code_.reset();
  return {};
}

void RemoteProcess::signal_group(const char* signal_name) {
  if (!running_) return;
  host_->run(std::string("kill -") + signal_name + " -- -" + std::to_string(pid_) + " 2>/dev/null; true");
}

void RemoteProcess::kill() {
  if (!running_) return;
  // One round trip: the signal, then a bounded wait on the host until the group's leader is gone.
  host_->run("kill -KILL -- -" + std::to_string(pid_) + " 2>/dev/null; " +
             wait_while_alive(pid_, kill_wait_ms_max / remote_poll_interval_ms));
  running_ = false;
  killed_ = true;
  exit_code_ = 128 + 9;
}

void RemoteProcess::pause() { signal_group("STOP"); }
void RemoteProcess::resume() { signal_group("CONT"); }

void RemoteProcess::request_termination() {
  if (!running_) return;
  host_->run("kill -CONT -- -" + std::to_string(pid_) + " 2>/dev/null; kill -TERM -- -" + std::to_string(pid_) +
             " 2>/dev/null; true");
}

bool RemoteProcess::wait_for_exit(Clock::time_point deadline) {
  if (!running_) return true;
  const auto left_ms = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  const long rounds = std::max<long>(0, left_ms / remote_poll_interval_ms);
  host_->run(wait_while_alive(pid_, rounds));
  return !is_running();
}

void RemoteProcess::learn_exit() {
  running_ = false;
  const RemoteResult code = host_->run("cat " + shell_quote(remote_exit_file_) + " 2>/dev/null");
  try {
    if (code.ok() && !code.output.empty()) exit_code_ = std::stoi(code.output);
  } catch (const std::exception&) {
  }
}

bool RemoteProcess::is_running() {
  if (!running_) return false;
  const RemoteResult alive = host_->run(process_alive_test(pid_));
  // ssh failing (255) says nothing about the process: assume it still runs.
  if (alive.exit_code == 255 || alive.ok()) return true;
  learn_exit();
  return false;
}

std::string RemoteProcess::status_text() const {
  if (running_) return "running as process group " + std::to_string(pid_) + " on " + host_->name();
  if (pid_ < 0) return "not started";
  if (killed_) return "killed by signal 9";
  if (exit_code_) return "exited with code " + std::to_string(*exit_code_);
  return "ended on " + host_->name() + " (by a signal, or its exit code was not recorded)";
}

std::string RemoteProcess::log_tail(std::size_t bytes_max) const {
  const RemoteResult tail = host_->run("tail -c " + std::to_string(bytes_max) + " " + shell_quote(remote_log_) + " 2>/dev/null");
  if (!tail.ok()) return "";
  std::string text = tail.output;
  if (text.size() >= bytes_max) {
    const std::size_t newline = text.find('\n');
    if (newline != std::string::npos) text.erase(0, newline + 1);
  }
  return text;
}

}  // namespace faultline
