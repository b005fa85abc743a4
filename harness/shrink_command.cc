// `faultline shrink RUN_DIR [--tries K] [--time-budget S] [--out DIR]`: the fewest faults that
// still bring a failing run's anomaly back. Each candidate schedule (schedule_shrink.h) is run
// as a replay of RUN_DIR with those faults (`faultline replay RUN_DIR --faults-from FILE`, a
// child process through the suite runner), up to K times; it reproduces when one try finds
// one of the run's anomaly classes (anomaly_classes.h).
//
// DIR (default RUN_DIR/shrink, or shrink-2, ...) holds shrink.log (every try and what it
// found), schedules/<candidate>.jsonl, the tries' runs in store/, and `minimal`, a link to the
// run of the smallest schedule that reproduced: a run like any other, with its report, that
// `faultline replay DIR/minimal` runs again.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "anomaly_classes.h"
#include "command.h"
#include "fault_groups.h"
#include "history/jsonl.h"
#include "interrupt.h"
#include "progress.h"
#include "schedule_shrink.h"
#include "suite_runner.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct ShrinkOptions {
  std::string run_dir;
  int tries = 3;
  double time_budget_s = 1800;
  std::string out;
};

nlohmann::json read_json_file(const fs::path& path) {
  std::ifstream in(path);
  return in ? nlohmann::json::parse(in, nullptr, false) : nlohmann::json(nullptr);
}

std::string faults_text(std::size_t count) { return std::to_string(count) + (count == 1 ? " fault" : " faults"); }

fs::path free_directory(const fs::path& wanted) {
  fs::path directory = wanted;
  for (int suffix = 2; fs::exists(directory); ++suffix) directory = wanted.string() + "-" + std::to_string(suffix);
  return directory;
}

// Runs candidates as replays of the recorded run, and writes what happened to the log.
class CandidateRunner {
 public:
  CandidateRunner(const ShrinkOptions& options, TestOptions recorded, std::set<std::string> classes, fs::path directory)
      : options_(options), recorded_(std::move(recorded)), classes_(std::move(classes)), directory_(std::move(directory)),
        log_(directory_ / "shrink.log"), started_(Clock::now()) {
    runner_.faultline_binary = fs::read_symlink("/proc/self/exe");
    runner_.suite_directory = directory_;
    runner_.store = directory_ / "store";
    runner_.parallel = 1;
  }

  // Whether one of up to K tries of `candidate` finds one of the run's anomaly classes; nullopt
  // when the time budget is spent or Ctrl-C came.
  std::optional<bool> operator()(const ShrinkCandidate& candidate) {
    const int number = ++candidates_;
    const fs::path schedule_file = directory_ / "schedules" / (candidate_name(number) + ".jsonl");
    write_schedule(schedule_file, candidate.schedule);
    say("candidate " + std::to_string(number) + ": " + candidate.change + " (" + faults_text(candidate.faults) +
        ", stop at " + number_text(candidate.time_limit_s) + " s)");
    for (int attempt = 1; attempt <= options_.tries; ++attempt) {
      if (interrupt_requested() || elapsed_s() >= options_.time_budget_s) {
        say(interrupt_requested() ? "interrupted: keeping the best found so far"
                                  : "time budget of " + duration_text(options_.time_budget_s) + " spent: keeping the best found so far");
        return std::nullopt;
      }
      SuiteRun run;
      run.cell = {"shrink", recorded_.workload, "replayed", "invalid"};
      run.seed = recorded_.seed;
      run.options = recorded_;
      run.options.name = candidate_name(number) + "-try" + std::to_string(attempt);
      run.options.store = runner_.store.string();
      run.options.time_limit_s = candidate.time_limit_s;
      run.options.replay_of = fs::weakly_canonical(options_.run_dir).string();
      run.options.faults_from = fs::weakly_canonical(schedule_file).string();
      const std::vector<SuiteRunOutcome> outcomes = run_suite({run}, runner_, [](const SuiteRunOutcome&, std::size_t) {});
      if (interrupt_requested()) {
        say("interrupted: keeping the best found so far");
        return std::nullopt;
      }
      const SuiteRunOutcome* outcome = outcomes.empty() ? nullptr : &outcomes.front();
      const fs::path run_directory = outcome && !outcome->run_directory.empty() ? runner_.store / outcome->run_directory : fs::path();
      std::set<std::string> found = anomaly_classes(run_directory.empty() ? nlohmann::json(nullptr) : read_json_file(run_directory / "results.json"));
      bool reproduced = false;
      for (const std::string& name : found) reproduced = reproduced || classes_.contains(name);
      say("  try " + std::to_string(attempt) + "/" + std::to_string(options_.tries) + ": " +
          (reproduced ? "reproduced" : "not reproduced") + " (" + (outcome ? outcome->verdict : "error") +
          (found.empty() ? "" : ": " + classes_text(found)) + ")" +
          (outcome && outcome->verdict == "error" ? ": " + outcome->summary : "") + "  [" + duration_text(elapsed_s()) + "]");
      if (outcome == nullptr || outcome->verdict == "error") {
        failed_ = true;  // the replay itself cannot run: no later candidate would
        return std::nullopt;
      }
      if (reproduced) {
        last_reproduced_ = fs::canonical(run_directory);
        last_schedule_ = schedule_file;
        return true;
      }
    }
    return false;
  }

  void say(const std::string& line) {
    std::cout << line << '\n' << std::flush;
    log_ << line << '\n' << std::flush;
  }

  double elapsed_s() const { return std::chrono::duration<double>(Clock::now() - started_).count(); }
  const fs::path& last_reproduced() const { return last_reproduced_; }
  const fs::path& last_schedule() const { return last_schedule_; }
  bool failed() const { return failed_; }

 private:
  static std::string candidate_name(int number) {
    char text[32];
    std::snprintf(text, sizeof text, "candidate-%03d", number);
    return text;
  }

  static std::string number_text(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
  }

  static void write_schedule(const fs::path& file, const std::vector<TimedAction>& schedule) {
    fs::create_directories(file.parent_path());
    std::ofstream out(file);
    for (const Op& op : schedule_ops(schedule)) out << op_to_json(op).dump() << '\n';
  }

  const ShrinkOptions& options_;
  const TestOptions recorded_;
  const std::set<std::string> classes_;
  const fs::path directory_;
  std::ofstream log_;
  const Clock::time_point started_;
  SuiteRunnerOptions runner_;
  int candidates_ = 0;
  bool failed_ = false;
  fs::path last_reproduced_, last_schedule_;
};

int run_shrink(ShrinkOptions options) {
  const char* name = "faultline shrink: ";
  std::error_code error;
  const fs::path run_dir = fs::canonical(options.run_dir, error);
  if (error) {
    std::cerr << name << options.run_dir << ": " << error.message() << '\n';
    return exit_input_error;
  }
  options.run_dir = run_dir.string();
  auto recorded = recorded_test_options(options.run_dir);
  if (!recorded) {
    std::cerr << name << recorded.error() << '\n';
    return exit_input_error;
  }
  const nlohmann::json results = read_json_file(run_dir / "results.json");
  const std::set<std::string> classes = anomaly_classes(results);
  if (classes.empty()) {
    std::cerr << name << (run_dir / "results.json").string()
              << (results.is_object() ? " shows no anomaly" : " is missing or not JSON")
              << ": shrink needs a run that found one (an invalid verdict)\n";
    return exit_input_error;
  }
  auto schedule = read_recorded_schedule((run_dir / "history.jsonl").string());
  if (!schedule) {
    std::cerr << name << schedule.error() << '\n';
    return exit_input_error;
  }
  const fs::path directory = free_directory(options.out.empty() ? run_dir / "shrink" : fs::path(options.out));
  fs::create_directories(directory, error);
  if (error) {
    std::cerr << name << "cannot create " << directory.string() << ": " << error.message() << '\n';
    return exit_input_error;
  }

  install_interrupt_handlers(nullptr);
  CandidateRunner runner(options, *recorded, classes, directory);
  const std::size_t faults = fault_groups(*schedule).size();
  runner.say("shrinking " + run_dir.string() + ": " + faults_text(faults) + ", anomaly " + classes_text(classes) +
             "; each candidate up to " + std::to_string(options.tries) + " tries of about " +
             duration_text(recorded->time_limit_s) + ", budget " + duration_text(options.time_budget_s) + "\nlog: " +
             (directory / "shrink.log").string());

  const Reproduces reproduces = [&runner](const ShrinkCandidate& candidate) { return runner(candidate); };
  const std::optional<bool> baseline = reproduces({*schedule, recorded->time_limit_s, faults, "the recorded schedule"});
  if (runner.failed()) {
    runner.say("the replay could not run (see above): nothing to shrink");
    return exit_input_error;
  }
  if (!baseline || !*baseline) {
    runner.say(baseline ? "the recorded schedule did not bring the anomaly back in " + std::to_string(options.tries) +
                              " tries: nothing to shrink (more --tries may help)"
                        : "stopped before the recorded schedule was replayed");
    return exit_unknown;
  }
  const ShrinkOutcome outcome = shrink_schedule(*schedule, recorded->time_limit_s, 1.0, reproduces);
  if (runner.failed()) runner.say("a replay could not run (see above): stopped with the best found so far");

  const fs::path minimal = directory / "minimal";
  fs::create_directory_symlink(fs::relative(runner.last_reproduced(), directory), minimal, error);
  fs::copy_file(runner.last_schedule(), directory / "minimal.jsonl", fs::copy_options::overwrite_existing, error);
  runner.say(std::string(outcome.stopped ? "stopped early; " : "") + "the smallest schedule that reproduced, in " +
             duration_text(runner.elapsed_s()) + ":");
  for (const FaultGroup& group : fault_groups(outcome.best.schedule))
    runner.say("  " + describe_fault(outcome.best.schedule, group));
  runner.say("run: " + minimal.string() + " (" + runner.last_reproduced().string() + ")\nreport: " +
             (minimal / "report.html").string() + "\nreproduce: faultline replay " + minimal.string() +
             "\nminimal schedule: " + faults_text(outcome.best.faults));
  return exit_invalid;
}

}  // namespace

void add_shrink_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ShrinkOptions>();
  CLI::App* shrink = app.add_subcommand(
      "shrink",
      "Find the fewest faults that still bring a failing run's anomaly back. Each candidate schedule is\n"
      "a replay of RUN_DIR (its options, its seed) with some of its faults: first fewer faults (delta\n"
      "debugging over faults, a fault being an action with its end: a kill and its restart, a partition\n"
      "and its heal), then shorter fault windows, then an earlier stop. A candidate is kept when one of\n"
      "its tries finds one of the anomaly classes RUN_DIR found (a checker, a set anomaly, a transaction\n"
      "anomaly type). Progress on the terminal and in DIR/shrink.log; Ctrl-C (or the time budget) stops\n"
      "and keeps the best found so far. DIR/minimal is the smallest schedule's run, with its report;\n"
      "the last line says its size: `minimal schedule: N faults`.\n"
      "Exit code: 1 a schedule reproduced the anomaly (the smallest is in DIR/minimal), 2 the recorded\n"
      "schedule did not bring it back in K tries, 3 RUN_DIR is not a failing run or cannot be read.");
  shrink->add_option("run_dir", options->run_dir, "The failing run: a run directory (STORE/NAME/TIMESTAMP or STORE/NAME/latest)")
      ->required();
  shrink->add_option("--tries", options->tries, "Replays of each candidate before it is given up: timing differs from try to try")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  shrink->add_option("--time-budget", options->time_budget_s,
                     "Seconds the whole shrink may take; when they are spent it stops with the best found so far")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  shrink->add_option("--out", options->out, "Where the shrink's log, schedules and runs go (default RUN_DIR/shrink, or shrink-2, ...)");
  shrink->callback([options, &exit_code] { exit_code = run_shrink(*options); });
}

}  // namespace faultline
