#include "test_run.h"

#include <fstream>
#include <iostream>
#include <random>

#include <unistd.h>

#include "adapter/bundled_options.h"
#include "adapter/lazyfs_mount.h"
#include "client_pool.h"
#include "cluster_network.h"
#include "command.h"
#include "history/history.h"
#include "history/history_format.h"
#include "history_recorder.h"
#include "hosts/host_set.h"
#include "hosts/hosts_file.h"
#include "hosts_network.h"
#include "interrupt.h"
#include "nemesis_loop.h"
#include "progress.h"
#include "report_file.h"
#include "run_checks.h"
#include "run_clock.h"
#include "run_configuration.h"
#include "run_state.h"
#include "run_store.h"
#include "target_factory.h"
#include "workload.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The seeds of the run's random parts, derived from the one seed (STYLE principle 8).
struct Seeds {
  std::uint64_t generator, nemesis, network;
};
Seeds derive_seeds(std::uint64_t seed) {
  std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
  std::uint32_t words[4];
  sequence.generate(words, words + 4);
  // The network's seed from a sequence of its own, so the others stay what they were before it.
  std::seed_seq network_sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32), 3u};
  std::uint32_t network_words[2];
  network_sequence.generate(network_words, network_words + 2);
  return {(std::uint64_t(words[0]) << 32) | words[1], (std::uint64_t(words[2]) << 32) | words[3],
          (std::uint64_t(network_words[0]) << 32) | network_words[1]};
}

// A replay's schedule: the faults recorded in <replay_of>/history.jsonl, or in `faults_from`
// when it is given; nullopt for a run of its own. Errors name the file and what is wrong.
std::expected<std::optional<std::vector<TimedAction>>, std::string> replay_schedule(const TestOptions& options) {
  if (options.replay_of.empty()) return std::nullopt;
  const std::string file = options.faults_from.empty()
                               ? (std::filesystem::path(options.replay_of) / "history.jsonl").string()
                               : options.faults_from;
  auto schedule = read_recorded_schedule(file);
  if (!schedule) return std::unexpected(schedule.error());
  return *schedule;
}

NemesisLoopOptions nemesis_loop_options(const TestOptions& options, const RunPlan& plan, std::uint64_t seed,
                                        proxy::NetworkLinks* links) {
  NemesisLoopOptions n;
  n.faults = options.nemesis;
  n.start_s = plan.warmup_s;
  n.end_s = plan.warmup_s + plan.faults_s;
  n.interval_s = options.nemesis_interval_s;
  n.faulty_nodes_max = faulty_nodes_max(options);
  n.seed = seed;
  n.partition_kinds = options.partition_kinds;
  n.partition_grudge = options.partition_grudge;
  n.packet_behaviours = packet_behaviours_drawn(options);
  n.links = links;
  return n;
}

}  // namespace

WorkloadOptions workload_options(const TestOptions& options) {
  WorkloadOptions w;
  w.name = options.workload;
  w.keys = options.keys;
  w.values = options.values;
  w.cas = options.cas;
  w.lock_fencing = options.lock_fencing;
  w.consistency = options.consistency;
  w.check_time_limit_s = options.check_time_limit_s;
  return w;
}

namespace {

// Final reads: how long one node's reads are tried again (as long as the recovery phase, at
// most this), and the pause between tries.
constexpr double final_read_patience_s_max = 5;
constexpr auto final_read_pause = std::chrono::milliseconds(200);

bool write_json(const fs::path& path, const json& value) {
  std::ofstream file(path);
  file << value.dump(2) << '\n';
  return static_cast<bool>(file);
}

}  // namespace

int run_test(TestOptions options, std::ostream& out, std::ostream& err) {
  const TargetKind* kind = find_target_kind(options.target);
  if (kind == nullptr) {
    err << "faultline test: --target: unknown target '" << options.target << "' (known: " << target_kind_names() << ")\n";
    return exit_input_error;
  }
  if (options.name.empty()) options.name = kind->run_name_prefix(target_own_options(options)) + "-" + options.workload;
  if (options.seed == 0) options.seed = std::random_device{}() | (std::uint64_t(std::random_device{}()) << 32);
  // --hosts: one node per host, and the network is the hosts' own.
  std::optional<HostsFile> hosts_file;
  if (!options.hosts.empty()) {
    auto read = read_hosts_file(options.hosts);
    if (!read) {
      err << "faultline test: --hosts: " << read.error() << '\n';
      return exit_input_error;
    }
    hosts_file = std::move(*read);
    if (std::string problem = controller_namespace_problem(*hosts_file); !problem.empty()) {
      err << "faultline test: --hosts: " << problem << '\n';
      return exit_input_error;
    }
    options.hosts = fs::absolute(options.hosts).string();
    options.nodes = static_cast<int>(hosts_file->hosts.size());
    options.network = "hosts";
  }
  resolve_network(options);
  if (std::string problem = validate_test_options(options); !problem.empty()) {
    err << "faultline test: " << problem << '\n';
    return exit_input_error;
  }
  if (std::string problem = validate_nemesis_loop_options(nemesis_loop_options(options, RunPlan{}, 0, nullptr),
                                                          bundled_node_ids(options.nodes));
      !problem.empty()) {
    err << "faultline test: --nemesis: " << problem << '\n';
    return exit_input_error;
  }
  auto workload = make_workload(workload_options(options));
  if (!workload) {
    err << "faultline test: --workload: " << workload.error() << '\n';
    return exit_input_error;
  }
  if (auto schedule = replay_schedule(options); !schedule) {
    err << "faultline replay: " << schedule.error() << '\n';
    return exit_input_error;
  }
  if (std::string problem = validate_target_options(options, (*workload)->operations_used()); !problem.empty()) {
    err << "faultline test: " << problem << '\n';
    return exit_input_error;
  }

  // The hosts, checked before anything starts: every problem of every host in one message.
  std::unique_ptr<HostSet> hosts;
  const HostRequirements host_requirements{needs_network_control(options), target_host_programs(options)};
  if (hosts_file) {
    auto opened = HostSet::open(*hosts_file);
    if (!opened) {
      err << "faultline test: --hosts: " << opened.error() << '\n';
      return exit_input_error;
    }
    hosts = std::move(*opened);
    if (std::string problems = hosts->check(host_requirements, out); !problems.empty()) {
      err << "faultline test: --hosts: these hosts cannot run the test:\n" << problems << '\n';
      return exit_input_error;
    }
    // What runs whose controller was killed left there (faultline cleanup --hosts does the same).
    std::vector<std::string> removed;
    for (const std::string& error : hosts->sweep(removed)) err << "faultline test: --hosts: " << error << '\n';
    for (const std::string& run : removed) err << "removed a run that died: " << run << '\n';
  }

  // The network first: a backend that cannot work here (netns without root) is refused before
  // the run has a directory.
  auto network = hosts ? make_hosts_network(*hosts, needs_network_control(options))
                       : make_cluster_network(network_kind(options), derive_seeds(options.seed).network, err);
  if (!network) {
    err << "faultline test: " << network.error() << '\n';
    return exit_input_error;
  }
  auto run_directory = create_run_directory(options.store, options.name, std::chrono::system_clock::now());
  if (!run_directory) {
    err << "faultline test: " << run_directory.error() << '\n';
    return exit_input_error;
  }
  const fs::path run_dir = *run_directory;
  const RunPlan plan = plan_run(options);
  json test_json = test_options_to_json(options);
  test_json["reproduce"] = reproduce_command(options);
  test_json["plan"] = {{"warmup_s", plan.warmup_s}, {"faults_s", plan.faults_s}, {"recovery_s", plan.recovery_s}};
  test_json["workload_details"] = (*workload)->describe();

  // FUSE mounts whose controller died with SIGKILL (their daemons died with it) are detached
  // here, as `faultline cleanup` does; mounts of runs still going answer and are left alone.
  const LazyfsSweep swept = sweep_dead_lazyfs_mounts();
  for (const std::string& point : swept.removed) err << "unmounted " << point << ", left by a run that died\n";
  for (const std::string& error : swept.errors) err << "could not remove a leftover mount: " << error << '\n';

  if (hosts) {
    out << "preparing " << hosts->hosts().size() << " hosts...\n";
    if (std::string problems = hosts->prepare(run_dir, host_requirements); !problems.empty()) {
      err << "faultline test: --hosts: these hosts cannot run the test:\n" << problems << '\n';
      return exit_input_error;
    }
  }
  auto target = make_target(options, run_dir, **network, hosts ? hosts->process_factory() : ProcessFactory{});
  if (!target) {
    err << "faultline test: " << target.error() << '\n';
    return exit_input_error;
  }
  test_json["target_details"] = (*target)->describe();
  test_json["configuration"] = configuration_rows(options, test_json["target_details"]);
  test_json["system"] = system_text(options, test_json["target_details"]);
  write_json(run_dir / "test.json", test_json);
  write_run_state(run_dir, RunState::running);  // until the run says how it ended
  out << "faultline test: " << options.name << ", seed " << options.seed << ", results in " << run_dir.string() << '\n';
  ClusterNetwork& cluster_network = **network;
  RunParts parts{**target, [&cluster_network] { return cluster_network.links(); }, **workload};
  if (hosts)
    parts.nodes_stopped = [&] {
      out << "bringing the nodes' logs and data back from the hosts...\n";
      for (const std::string& error : hosts->collect(true)) err << "faultline test: " << error << '\n';
    };
  const int exit_code = run_phases(options, std::move(parts), run_dir, out, err);
  // stop_all unmounted the nodes' disks; nothing of this run stays mounted, whatever happened.
  (*target)->stop_all();
  for (const std::string& error : sweep_dead_lazyfs_mounts(run_dir).errors) err << "faultline test: " << error << '\n';
  return exit_code;
}

int run_phases(const TestOptions& options, RunParts parts, const fs::path& run_dir, std::ostream& out, std::ostream& err) {
  const TargetKind* kind = find_target_kind(options.target);
  const std::string system = kind != nullptr ? kind->run_name_prefix(target_own_options(options)) : options.target;
  const RunPlan plan = plan_run(options);
  Target& target = parts.target;
  const Workload& workload = parts.workload;

  // A second Ctrl-C ends the controller at once; its nodes die with it (PR_SET_PDEATHSIG).
  install_interrupt_handlers(nullptr);
  auto stop_nodes = [&] { target.stop_all(); };

  std::ofstream history_file(run_dir / "history.jsonl");  // empty, not missing, if nothing runs
  out << "starting " << options.nodes << " " << system << " nodes...\n";
  if (auto started = target.start_all(); !started) {
    stop_nodes();
    if (parts.nodes_stopped) parts.nodes_stopped();
    write_run_state(run_dir, RunState::not_started);
    err << "faultline test: the target did not start: " << started.error().message << '\n';
    return exit_input_error;
  }

  const Seeds seeds = derive_seeds(options.seed);
  RunClock clock;
  bool interrupted = false;
  std::int64_t final_process = 0;
  {
    HistoryRecorder recorder(history_file, [&clock] { return clock.now_ns(); });
    ClientPool clients(target, workload, recorder, clock, options.clients, options.rate, seeds.generator);
    NemesisLoopOptions nemesis_options = nemesis_loop_options(options, plan, seeds.nemesis, parts.links ? parts.links() : nullptr);
    // A replay's schedule (run_test refused one that cannot be read).
    if (auto schedule = replay_schedule(options); schedule) nemesis_options.schedule = std::move(*schedule);
    NemesisLoop nemesis(target, recorder, clock, std::move(nemesis_options));

    const double planned_s = plan.warmup_s + plan.faults_s + plan.recovery_s;
    std::string phase = "warm-up";
    std::mutex phase_mutex;
    RecentRate recent_rate;  // only the printer's thread takes snapshots
    recent_rate.add(0, 0);   // the run begins with nothing done: the first line has a rate too
    ProgressPrinter progress(out, isatty(STDOUT_FILENO) != 0, [&] {
      ProgressSnapshot s;
      {
        std::lock_guard lock(phase_mutex);
        s.phase = phase;
      }
      s.elapsed_s = clock.elapsed_s();
      s.planned_s = planned_s;
      const ClientCounters c = clients.counters();
      s.ok = c.ok, s.fail = c.fail, s.info = c.info;
      s.ops_per_s = recent_rate.add(s.elapsed_s, c.ok + c.fail + c.info);
      s.active_faults = nemesis.active_faults();
      return s;
    });
    auto set_phase = [&](const char* name) {
      std::lock_guard lock(phase_mutex);
      phase = name;
    };

    std::atomic<bool> never{false};
    clients.start();
    nemesis.start();
    if (sleep_until(clock.at(plan.warmup_s), never)) {
      set_phase("faults");
      sleep_until(clock.at(plan.warmup_s + plan.faults_s), never);
    }
    if (interrupt_requested()) nemesis.stop();
    nemesis.join();  // every fault is repaired when it returns
    // Clients go on through the recovery phase (Jepsen's final generator): a cluster that does
    // not serve again after the heal shows in the recovery checker.
    if (!interrupt_requested()) {
      set_phase("recovery");
      sleep_until(clock.at(planned_s), never);
    }
    clients.stop();
    if (!interrupt_requested()) {
      set_phase("final reads");
      std::int64_t process = clients.next_free_process();
      // A node that is still catching up after the heal (an election, a member rejoining) may
      // refuse a read at first: its final reads are tried again until they succeed, for a while
      // per node. Every try is in the history.
      for (const std::string& node : target.node_ids()) {
        const auto give_up = RunClock::Clock::now() + std::chrono::duration_cast<RunClock::Clock::duration>(
                                                          std::chrono::duration<double>(
                                                              std::min(plan.recovery_s, final_read_patience_s_max)));
        for (const Invocation& invocation : workload.final_ops()) {
          for (;;) {
            auto client = target.client(node);
            if (ClientPool::perform_and_record(workload, *client, node, recorder, process++, invocation) == OpType::ok)
              break;
            if (interrupt_requested() || RunClock::Clock::now() + final_read_pause >= give_up) break;
            sleep_until(RunClock::Clock::now() + final_read_pause, never);
          }
        }
      }
      final_process = process;
    }
    progress.stop();
    interrupted = interrupt_requested();
  }  // the recorder flushes the history here
  stop_nodes();
  if (parts.nodes_stopped) parts.nodes_stopped();
  history_file.close();
  (void)final_process;

  if (interrupted) out << "interrupted: every node is stopped; checking the history recorded so far\n";
  auto history = read_history_file((run_dir / "history.jsonl").string(), HistoryFormat::jsonl);
  if (!history) {
    err << "faultline test: the recorded history is not valid: " << history.error().to_string() << '\n';
    return exit_input_error;
  }
  std::vector<NamedResult> results = run_checkers(*history, workload);
  Verdict verdict = merged_verdict(results);
  // An interrupted run proves an anomaly it found, but no absence of one.
  if (interrupted && verdict == Verdict::valid) verdict = Verdict::unknown;
  json extra = {{"seed", options.seed}, {"reproduce", reproduce_command(options)}, {"interrupted", interrupted},
                {"name", options.name}, {"run_directory", run_dir.string()}};
  write_json(run_dir / "results.json", results_json(results, verdict, extra));
  write_run_state(run_dir, interrupted ? RunState::interrupted : RunState::finished);
  auto report = write_report(run_dir);

  out << summarize_results(results);
  out << "verdict: " << to_string(verdict) << (interrupted ? " (interrupted)" : "") << '\n';
  out << "results: " << (run_dir / "results.json").string() << '\n';
  if (report) out << "report: " << report->string() << '\n';
  else err << "faultline test: no report: " << report.error().to_string() << '\n';
  out << "reproduce: " << reproduce_command(options) << '\n';
  if (verdict == Verdict::invalid) return exit_invalid;
  if (verdict == Verdict::unknown) return exit_unknown;
  return exit_valid;
}

}  // namespace faultline
