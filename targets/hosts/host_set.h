// The hosts of a --hosts run, from checking them to leaving them as they were:
//
//   check    before anything starts: every host is reachable over SSH, runs Linux on this
//            machine's architecture, has tar, free disk, root or passwordless sudo when the run
//            changes its firewall, and the programs the target needs; one message names every
//            host's problems (the harness exits 3 with it)
//   prepare  the run's directory on every host, <directory>/<run name>/{bin,data,nodes}, mirroring
//            the local run directory; faultline's own programs (faultline-node) uploaded to bin/
//            and tried there, so a missing library is named before any node starts
//   run      process_factory() puts each node's process on its host (RemoteProcess)
//   collect  every host's nodes/ (logs) and data/ downloaded into the local run directory, then
//            the run's directory removed from the host; idempotent, also done by the destructor
//   sweep    what runs whose controller died (SIGKILL) left on the hosts: each run's directory
//            holds `controller` (this machine's boot id, the controller's pid and start time);
//            a run of a controller of this machine that is gone has its nodes killed (by the
//            process groups in nodes/<id>.pid, only while that process still runs in the run's
//            directory) and its directory removed, and the firewall chain goes when no run is
//            left. Runs still going, and runs of other controllers' machines, are left alone.
//
// The node on host i is n<i+1> (hosts_file.h). Each host's SSH connection is shared by every
// command (ControlMaster) and closed at the end.
#pragma once

#include <expected>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "adapter/supervised_process.h"
#include "adapter/target_kind.h"
#include "hosts_file.h"
#include "ssh_host.h"

namespace faultline {

struct HostRequirements {
  bool firewall = false;              // the run cuts links with iptables: root or sudo
  std::vector<HostProgram> programs;  // what the target's nodes run (TargetKind::host_programs)
};

// What a host said about itself (the probe's answers), and what it lacks for `requirements`;
// pure, so the wording is tested without hosts. `local_machine` is uname -m here.
struct HostFacts {
  std::string kernel;        // uname -s
  std::string machine;       // uname -m
  std::string os;            // PRETTY_NAME of /etc/os-release
  int uid = -1;
  bool sudo = false;         // sudo -n works
  long long free_kb = -1;    // free space where the run's directory goes
  bool tar = false, iptables = false;
  std::vector<std::string> programs_missing;  // of the installed programs required
};
std::string host_probe_command(const std::string& directory, const std::vector<std::string>& installed_programs);
HostFacts parse_host_facts(const std::string& probe_output);
std::vector<std::string> host_problems(const HostFacts& facts, const HostRequirements& requirements,
                                       const std::string& local_machine);

// Who started a run on the hosts: "<boot id> <pid> <start time in ticks>" of its controller.
std::string controller_identity(const std::string& boot_id, std::int64_t pid, std::uint64_t start_ticks);
// Whether the run that `identity` names is a dead run of a controller on this machine (boot id
// `our_boot_id`), given the start time of `pid` here now (nullopt: no such process). Pure.
bool run_controller_gone(const std::string& identity, const std::string& our_boot_id,
                         const std::function<std::optional<std::uint64_t>(std::int64_t pid)>& start_ticks_of);
// The shell command that kills a dead run's nodes and removes its directory `run` (pure; tests).
std::string remove_dead_run_command(const std::string& run);

class HostSet {
 public:
  // Errors: the control directory for the SSH connections cannot be made.
  static std::expected<std::unique_ptr<HostSet>, std::string> open(const HostsFile& file);
  ~HostSet();  // collect (without downloading, when collect was not called) and close
  HostSet(const HostSet&) = delete;
  HostSet& operator=(const HostSet&) = delete;

  const std::vector<std::shared_ptr<SshHost>>& hosts() const { return hosts_; }
  std::vector<std::string> addresses() const;

  // Empty when every host can serve the run; else one line per problem, each naming its host.
  // Progress goes to `log`.
  std::string check(const HostRequirements& requirements, std::ostream& log);
  // Errors: what failed on which host (the run's directory there is removed again).
  std::string prepare(const std::filesystem::path& local_run_directory, const HostRequirements& requirements);
  // Where each node's process runs: on its host, in the remote run directory.
  ProcessFactory process_factory() const;
  // Errors, one per host that failed; the hosts are left clean either way.
  std::vector<std::string> collect(bool download);

  std::string remote_run_directory(const SshHost& host) const;

  // Removes what runs whose controller died left on the hosts (see above); `removed` gets one
  // line per run removed. Errors: one per host that could not be swept.
  std::vector<std::string> sweep(std::vector<std::string>& removed);

 private:
  explicit HostSet(std::filesystem::path control_directory) : control_directory_(std::move(control_directory)) {}

  std::filesystem::path control_directory_;
  std::vector<std::shared_ptr<SshHost>> hosts_;
  std::filesystem::path local_run_directory_;  // empty until prepare
  std::string run_name_;
  std::vector<HostProgram> uploaded_;  // their remote path: <remote run directory>/bin/<file name>
  bool prepared_ = false;
};

}  // namespace faultline
