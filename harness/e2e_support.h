// What the end-to-end tests of `faultline` share: running the real binary (FAULTLINE_BIN) in
// a temporary store, reading what it wrote, and finding node processes a run left behind.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <thread>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include "skip_test.h"
#include <nlohmann/json.hpp>

namespace faultline::e2e {

using faultline::skip_test;

using nlohmann::json;
namespace fs = std::filesystem;


inline fs::path faultline_binary() {
  const char* dir = std::getenv("FAULTLINE_BIN");
  return fs::path(dir != nullptr ? dir : "build/bin") / "faultline";
}

struct TempStore {
  fs::path path;
  TempStore() : path(fs::temp_directory_path() / ("faultline-e2e-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(path);
  }
  ~TempStore() { fs::remove_all(path); }
};

struct Run {
  int exit_code = -1;
  std::string output;
};

// Starts `argv` (the program looked up on PATH), its output to `output_file`; returns its pid.
inline pid_t spawn_program(std::vector<std::string> argv, const fs::path& output_file) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int fd = open(output_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char*> pointers;
    for (std::string& a : argv) pointers.push_back(a.data());
    pointers.push_back(nullptr);
    execvp(pointers[0], pointers.data());
    _exit(127);
  }
  return pid;
}

// Starts faultline with `arguments`, its output to `output_file`; returns its pid.
inline pid_t spawn_faultline(const std::vector<std::string>& arguments, const fs::path& output_file) {
  std::vector<std::string> argv = {faultline_binary().string()};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return spawn_program(std::move(argv), output_file);
}

inline std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Waits for `pid` to end: its exit code, or 128 + the signal that ended it.
inline int wait_exit_code(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs faultline with `arguments`, output to a file; returns its exit code and output.
inline Run run_faultline(const std::vector<std::string>& arguments, const fs::path& output_file) {
  const pid_t pid = spawn_faultline(arguments, output_file);
  Run run;
  run.exit_code = wait_exit_code(pid);
  run.output = read_text(output_file);
  return run;
}

// Lines in the file (0 when it does not exist yet).
inline std::size_t count_lines(const fs::path& path) {
  std::ifstream in(path);
  return static_cast<std::size_t>(std::count(std::istreambuf_iterator<char>(in), {}, '\n'));
}

inline json read_json(const fs::path& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  return json::parse(in);
}

// Processes of `program` whose command line mentions `needle`: what a run may have left behind.
inline std::vector<std::string> processes_mentioning(const std::string& needle,
                                                     const std::string& program = "faultline-node") {
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream cmdline(entry.path() / "cmdline");
    std::string text((std::istreambuf_iterator<char>(cmdline)), {});
    for (char& c : text)
      if (c == '\0') c = ' ';
    if (text.find(needle) != std::string::npos && text.find(program) != std::string::npos)
      found.push_back(name + ": " + text);
  }
  return found;
}

// Polls `condition` every 50 ms until it holds or `limit` has passed: waiting on a run that
// another process is writing, the only way to see it progress. True when it held.
inline bool wait_until(const std::function<bool()>& condition, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

// Whether the history at `path` shows a partition in place.
inline bool history_shows_partition(const fs::path& path) {
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  return text.find(R"("type":"info","f":"start-partition")") != std::string::npos;
}

// Network namespaces the faultline run `pid` made that are still there.
inline std::vector<std::string> namespaces_of_run(pid_t pid) {
  std::vector<std::string> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator("/run/netns", error)) {
    const std::string name = entry.path().filename();
    if (name.starts_with("faultline-" + std::to_string(pid) + "-")) found.push_back(name);
  }
  return found;
}

inline std::vector<std::string> test_arguments(const TempStore& store, const std::string& name, std::uint64_t seed,
                                        std::vector<std::pair<std::string, std::string>> changes) {
  // Short runs with frequent faults; `changes` replace these or add to them.
  std::vector<std::pair<std::string, std::string>> options = {
      {"--store", store.path.string()}, {"--name", name}, {"--seed", std::to_string(seed)},
      {"--time-limit", "8"}, {"--nemesis-interval", "1.5"}, {"--rate", "150"}};
  for (const auto& [option, value] : changes) {
    auto it = std::find_if(options.begin(), options.end(), [&](const auto& o) { return o.first == option; });
    if (it != options.end()) it->second = value;
    else options.emplace_back(option, value);
  }
  std::vector<std::string> arguments = {"test"};
  for (const auto& [option, value] : options) {
    arguments.push_back(option);
    arguments.push_back(value);
  }
  return arguments;
}


}  // namespace faultline::e2e
