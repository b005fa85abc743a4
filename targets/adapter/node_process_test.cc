// NodeProcess with small shell programs: the log, exit codes, group signals, termination.
#include "node_process.h"

#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "test_support.h"

using namespace faultline;
using namespace std::chrono_literals;

namespace {

ProcessSpec shell(const std::filesystem::path& log, const std::string& script) {
  return ProcessSpec{"/bin/sh", {"-c", script}, log};
}

auto soon(std::chrono::milliseconds wait = 5s) { return std::chrono::steady_clock::now() + wait; }

// Reads the first line the program wrote after the start header, waiting for it at most `wait`.
std::string first_output_line(const std::filesystem::path& log, std::chrono::milliseconds wait = 5s) {
  const auto deadline = soon(wait);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream file(log);
    std::string line;
    std::getline(file, line);  // the header
    if (std::getline(file, line) && !line.empty()) return line;
    std::this_thread::sleep_for(10ms);
  }
  return "";
}

// The state letter of /proc/PID/stat ("R", "S", "T", "Z"), or empty when the process is gone.
std::string process_state(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string id, name, state;
  stat >> id >> name >> state;
  return stat ? state : "";
}

bool gone_or_zombie(pid_t pid) {
  const std::string state = process_state(pid);
  return state.empty() || state == "Z";
}

}  // namespace

TEST_CASE("a process that exits reports its exit code, and its output lands in the log") {
  testing::TempDir dir;
  NodeProcess process(shell(dir.path() / "log", "echo hello; echo oops >&2; exit 3"));
  REQUIRE(process.start());
  REQUIRE(process.wait_for_exit(soon()));
  CHECK_FALSE(process.is_running());
  CHECK(process.exit_code() == 3);
  CHECK(process.status_text() == "exited with code 3");
  const std::string log = process.log_tail(1000);
  CHECK(log.starts_with("--- faultline: starting /bin/sh -c"));
  CHECK(log.find("hello\noops\n") != std::string::npos);

  // A second start appends.
  REQUIRE(process.start());
  REQUIRE(process.wait_for_exit(soon()));
  const std::string twice = process.log_tail(1000);
  CHECK(twice.find("hello", twice.find("hello") + 1) != std::string::npos);
}

TEST_CASE("kill reaches the whole process group and reaps the leader") {
  testing::TempDir dir;
  // The shell starts a child in its group and prints the child's id.
  NodeProcess process(shell(dir.path() / "log", "sleep 30 & echo $!; wait"));
  REQUIRE(process.start());
  const pid_t leader = process.pid();
  const std::string child_line = first_output_line(dir.path() / "log");
  REQUIRE_FALSE(child_line.empty());
  const pid_t child = std::stoi(child_line);
  CHECK(process.is_running());

  process.kill();
  CHECK_FALSE(process.is_running());
  CHECK(process.status_text() == "killed by signal 9");
  CHECK_FALSE(testing::process_exists(leader));
  // The child was reparented to init: it must be gone, or a zombie init has yet to reap.
  const auto deadline = soon();
  while (!gone_or_zombie(child) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  CHECK(gone_or_zombie(child));
}

TEST_CASE("pause stops the process, resume continues it, terminate ends a paused process") {
  testing::TempDir dir;
  NodeProcess process(shell(dir.path() / "log", "exec sleep 30"));
  REQUIRE(process.start());
  process.pause();
  CHECK(process.is_paused());
  // The signal is delivered asynchronously; wait for the stopped state, boundedly.
  const auto deadline = soon();
  while (process_state(process.pid()) != "T" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
  CHECK(process_state(process.pid()) == "T");
  process.resume();
  CHECK_FALSE(process.is_paused());
  process.pause();
  process.terminate(2s);  // SIGCONT first, so SIGTERM ends it without waiting for the grace period
  CHECK_FALSE(process.is_running());
  CHECK(process.status_text() == "killed by signal 15");
}

TEST_CASE("a missing binary is an error that names it") {
  testing::TempDir dir;
  NodeProcess process(ProcessSpec{dir.path() / "no-such-node", {}, dir.path() / "log"});
  const auto started = process.start();
  REQUIRE_FALSE(started);
  CHECK(started.error().message.find("cannot execute " + (dir.path() / "no-such-node").string()) == 0);
  CHECK(process.status_text() == "not started");
}

TEST_CASE("a process started from a thread that ends keeps running") {
  // PR_SET_PDEATHSIG fires when the forking *thread* exits: starts go through the launcher thread.
  testing::TempDir dir;
  NodeProcess process(shell(dir.path() / "log", "exec sleep 30"));
  std::thread starter([&] { REQUIRE(process.start()); });
  starter.join();
  // Had the signal fired at the thread's exit, the process would be gone well within this.
  CHECK_FALSE(process.wait_for_exit(soon(300ms)));
  CHECK(process.is_running());
}

// Run as a separate process by the next test: starts a process, says its id, then dies
// without any cleanup, as a controller killed with SIGKILL would.
TEST_CASE("controller that dies", "[.controller]") {
  const char* pid_file = std::getenv("FAULTLINE_TEST_PID_FILE");
  REQUIRE(pid_file != nullptr);
  auto* process = new NodeProcess(shell(std::filesystem::path(pid_file).parent_path() / "log", "exec sleep 30"));
  REQUIRE(process->start());
  { std::ofstream(pid_file) << process->pid() << "\n"; }
  ::raise(SIGKILL);
}

TEST_CASE("processes die with their controller") {
  testing::TempDir dir;
  const std::filesystem::path pid_file = dir.path() / "pid";
  ::setenv("FAULTLINE_TEST_PID_FILE", pid_file.c_str(), 1);
  NodeProcess controller(
      ProcessSpec{std::filesystem::read_symlink("/proc/self/exe"), {"[.controller]"}, dir.path() / "controller.log"});
  REQUIRE(controller.start());
  REQUIRE(controller.wait_for_exit(soon(10s)));
  ::unsetenv("FAULTLINE_TEST_PID_FILE");
  CHECK(controller.status_text() == "killed by signal 9");
  pid_t orphan = 0;
  std::ifstream(pid_file) >> orphan;
  INFO(read_file_tail(dir.path() / "controller.log", 2000));
  REQUIRE(orphan > 1);
  const auto deadline = soon();
  while (!gone_or_zombie(orphan) && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(10ms);
  CHECK(gone_or_zombie(orphan));
}
