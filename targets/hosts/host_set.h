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
//
// The node on host i is n<i+1> (hosts_file.h). Each host's SSH connection is shared by every
// command (ControlMaster) and closed at the end.
#pragma once

#include <expected>
#include <filesystem>
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
