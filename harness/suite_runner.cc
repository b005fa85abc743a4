#include "suite_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <map>

#include "interrupt.h"

namespace faultline {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// How much of a run's output an outcome quotes when the run left no results.
constexpr std::size_t output_tail_bytes_max = 400;

std::string tail_of(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  if (text.size() > output_tail_bytes_max) text = "..." + text.substr(text.size() - output_tail_bytes_max);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// The "target" row of a run's configuration (test.json): the system and its version.
std::string target_of_run(const nlohmann::json& test) {
  if (!test.is_object() || !test.contains("configuration") || !test["configuration"].is_array()) return "";
  for (const nlohmann::json& row : test["configuration"])
    if (row.is_array() && row.size() == 2 && row[0] == "target" && row[1].is_string()) return row[1].get<std::string>();
  return "";
}

nlohmann::json read_json_or_null(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  return nlohmann::json::parse(in, nullptr, false);
}

pid_t start_run(const SuiteRunnerOptions& options, const fs::path& options_file, const fs::path& log) {
  const std::string binary = options.faultline_binary.string();
  const std::string file = options_file.string();
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() != parent) _exit(127);  // the suite died before prctl
  const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0) {
    dup2(fd, 1);
    dup2(fd, 2);
  }
  std::vector<std::string> arguments = {binary, "test", "--options-file", file};
  std::vector<char*> argv;
  for (std::string& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  _exit(127);
}

}  // namespace

std::vector<SuiteRunOutcome> run_suite(const std::vector<SuiteRun>& runs, const SuiteRunnerOptions& options,
                                       const std::function<void(const SuiteRunOutcome&, std::size_t)>& on_finished) {
  const fs::path runs_directory = options.suite_directory / "runs";
  fs::create_directories(runs_directory);
  struct InFlight {
    std::size_t index;
    Clock::time_point started;
    fs::path latest_before;  // the run of this name an earlier suite left, if any: not this one's
  };
  auto latest_of = [&](const SuiteRun& run) {
    std::error_code error;
    fs::path latest = fs::canonical(options.store / run.options.name / "latest", error);
    return error ? fs::path() : latest;
  };
  std::map<pid_t, InFlight> in_flight;
  std::vector<SuiteRunOutcome> outcomes;
  std::size_t next = 0;
  bool forwarded = false;
  while (true) {
    while (!interrupt_requested() && next < runs.size() && in_flight.size() < static_cast<std::size_t>(options.parallel)) {
      const SuiteRun& run = runs[next];
      const fs::path options_file = runs_directory / (run.options.name + ".json");
      std::ofstream(options_file) << test_options_to_json(run.options).dump(2) << '\n';
      const pid_t pid = start_run(options, options_file, runs_directory / (run.options.name + ".log"));
      if (pid < 0) {
        outcomes.push_back(outcome_of_run(run, -1, nullptr, "", "could not start a process", 0));
        on_finished(outcomes.back(), outcomes.size());
      } else {
        in_flight[pid] = {next, Clock::now(), latest_of(run)};
      }
      ++next;
    }
    if (in_flight.empty()) break;
    if (interrupt_requested() && !forwarded) {
      for (const auto& [pid, run] : in_flight) kill(pid, SIGINT);
      forwarded = true;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;  // a signal: forward it above
      break;
    }
    const auto flight = in_flight.find(pid);
    if (flight == in_flight.end()) continue;
    const SuiteRun& run = runs[flight->second.index];
    const double elapsed_s = std::chrono::duration<double>(Clock::now() - flight->second.started).count();
    const fs::path latest_before = flight->second.latest_before;
    in_flight.erase(flight);
    const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    const fs::path latest = latest_of(run);
    const bool ran = !latest.empty() && latest != latest_before;
    std::error_code error;
    const std::string run_directory = ran ? fs::relative(latest, fs::canonical(options.store), error).string() : "";
    const nlohmann::json results = ran ? read_json_or_null(latest / "results.json") : nlohmann::json(nullptr);
    outcomes.push_back(outcome_of_run(run, exit_code, results, run_directory,
                                      tail_of(runs_directory / (run.options.name + ".log")), elapsed_s));
    if (ran) outcomes.back().target = target_of_run(read_json_or_null(latest / "test.json"));
    on_finished(outcomes.back(), outcomes.size());
  }
  return outcomes;
}

}  // namespace faultline
