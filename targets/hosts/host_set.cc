#include "host_set.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "hosts/host_firewall.h"
#include "netns/system_command.h"
#include "remote_process.h"

namespace faultline {

namespace {

namespace fs = std::filesystem;

// Less free space than this where the run's directory goes is a problem: the node binary, its
// data and its log.
constexpr long long free_kb_min = 100 * 1024;

std::string boot_id() {
  std::ifstream in("/proc/sys/kernel/random/boot_id");
  std::string id;
  std::getline(in, id);
  return id;
}

std::string our_identity() {
  const std::int64_t pid = getpid();
  return controller_identity(boot_id(), pid, netns::process_start_ticks(pid).value_or(0));
}

std::string local_machine() {
  utsname name{};
  return uname(&name) == 0 ? name.machine : "";
}

std::string joined(const std::vector<std::string>& lines, const std::string& separator) {
  std::string text;
  for (const std::string& line : lines) text += (text.empty() ? "" : separator) + line;
  return text;
}


}  // namespace

std::string host_probe_command(const std::string& directory, const std::vector<std::string>& installed_programs) {
  std::string command =
      "echo \"kernel=$(uname -s)\"; echo \"machine=$(uname -m)\"; "
      "(. /etc/os-release 2>/dev/null; echo \"os=$PRETTY_NAME\"); echo \"uid=$(id -u)\"; "
      "if sudo -n true 2>/dev/null; then echo sudo=yes; fi; "
      "d=" + shell_quote(directory) + "; while [ ! -d \"$d\" ]; do d=$(dirname \"$d\"); done; "
      "echo \"free_kb=$(df -Pk \"$d\" | awk 'NR==2 {print $4}')\"; "
      "if command -v tar >/dev/null; then echo tar=yes; fi; "
      "if command -v iptables >/dev/null || [ -x /usr/sbin/iptables ] || [ -x /sbin/iptables ]; then echo iptables=yes; fi";
  for (const std::string& program : installed_programs)
    command += "; [ -x " + shell_quote(program) + " ] || echo missing=" + shell_quote(program);
  return command;
}

HostFacts parse_host_facts(const std::string& probe_output) {
  HostFacts facts;
  std::istringstream lines(probe_output);
  std::string line;
  while (std::getline(lines, line)) {
    const std::size_t equals = line.find('=');
    if (equals == std::string::npos) continue;
    const std::string key = line.substr(0, equals), value = line.substr(equals + 1);
    try {
      if (key == "kernel") facts.kernel = value;
      else if (key == "machine") facts.machine = value;
      else if (key == "os") facts.os = value;
      else if (key == "uid") facts.uid = std::stoi(value);
      else if (key == "sudo") facts.sudo = value == "yes";
      else if (key == "free_kb") facts.free_kb = std::stoll(value);
      else if (key == "tar") facts.tar = value == "yes";
      else if (key == "iptables") facts.iptables = value == "yes";
      else if (key == "missing") facts.programs_missing.push_back(value);
    } catch (const std::exception&) {
      // A field the host answered oddly stays unknown, and is reported as such below.
    }
  }
  return facts;
}

std::vector<std::string> host_problems(const HostFacts& facts, const HostRequirements& requirements,
                                       const std::string& machine) {
  std::vector<std::string> problems;
  if (facts.kernel != "Linux") problems.push_back("runs " + (facts.kernel.empty() ? "an unknown system" : facts.kernel) + ", not Linux");
  const bool uploads = std::any_of(requirements.programs.begin(), requirements.programs.end(),
                                   [](const HostProgram& program) { return program.uploaded; });
  if (uploads && facts.machine != machine)
    problems.push_back("is a " + facts.machine + " machine; the programs faultline uploads are built for " + machine);
  if (!facts.tar) problems.push_back("has no tar (needed to bring the nodes' logs and data back)");
  if (facts.free_kb >= 0 && facts.free_kb < free_kb_min)
    problems.push_back("has only " + std::to_string(facts.free_kb / 1024) + " MiB free for the run's files (" +
                       std::to_string(free_kb_min / 1024) + " MiB needed)");
  if (requirements.firewall) {
    if (facts.uid != 0 && !facts.sudo)
      problems.push_back("partitions and packet faults change the host's firewall (iptables), which needs root: the "
                         "user is uid " + std::to_string(facts.uid) +
                         " without passwordless sudo (log in as root, or allow the user `sudo -n`)");
    if (!facts.iptables) problems.push_back("has no iptables (Debian package iptables), which partitions need");
  }
  for (const std::string& program : facts.programs_missing)
    problems.push_back("has no program " + program + " (the target's nodes run it; install it there)");
  return problems;
}

std::string controller_identity(const std::string& boot_id, std::int64_t pid, std::uint64_t start_ticks) {
  return boot_id + " " + std::to_string(pid) + " " + std::to_string(start_ticks);
}

bool run_controller_gone(const std::string& identity, const std::string& our_boot_id,
                         const std::function<std::optional<std::uint64_t>(std::int64_t pid)>& start_ticks_of) {
  std::istringstream fields(identity);
  std::string boot;
  std::int64_t pid = 0;
  std::uint64_t ticks = 0;
  if (!(fields >> boot >> pid >> ticks) || boot != our_boot_id || pid <= 0) return false;
  return start_ticks_of(pid) != ticks;
}

std::string remove_dead_run_command(const std::string& run) {
  const std::string quoted = shell_quote(run);
  // A group is killed only while its leader still runs in the run's directory: a pid reused
  // since by another process is left alone.
  return "for f in " + quoted + "/nodes/*.pid; do [ -f \"$f\" ] || continue; p=$(cat \"$f\"); "
         "if [ \"$(readlink /proc/$p/cwd 2>/dev/null)\" = " + quoted + " ]; then kill -KILL -- -$p 2>/dev/null; fi; "
         "done; rm -rf " + quoted;
}

std::vector<std::string> HostSet::sweep(std::vector<std::string>& removed) {
  std::vector<std::string> errors;
  const std::string ours = boot_id();
  for (const auto& host : hosts_) {
    const std::string directory = shell_quote(host->entry().directory);
    const RemoteResult listed = host->run("for d in " + directory + "/*/; do [ -f \"$d/controller\" ] && "
                                          "echo \"$(cat \"$d/controller\") ${d%/}\"; done; true");
    if (!listed.ok()) {
      errors.push_back(host->name() + ": could not list earlier runs: " + listed.said());
      continue;
    }
    std::istringstream lines(listed.output);
    std::size_t left = 0;
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      std::string boot, pid, ticks, run;
      if (!(fields >> boot >> pid >> ticks) || !std::getline(fields >> std::ws, run)) continue;
      if (!run_controller_gone(boot + " " + pid + " " + ticks, ours, netns::process_start_ticks)) {
        ++left;
        continue;
      }
      if (const RemoteResult gone = host->run(remove_dead_run_command(run)); !gone.ok())
        errors.push_back(host->name() + ": could not remove " + run + ": " + gone.said());
      else
        removed.push_back(host->name() + ": " + run + " (its controller, process " + pid + ", is gone)");
    }
    // The chain of a run that died; a host without root has none to remove.
    if (left == 0) {
      host->run(host->as_root(hosts::remove_firewall_command()));
      host->run("rmdir " + directory + " 2>/dev/null; true");
    }
  }
  return errors;
}

std::expected<std::unique_ptr<HostSet>, std::string> HostSet::open(const HostsFile& file) {
  std::string pattern = (fs::temp_directory_path() / "faultline-ssh-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr)
    return std::unexpected("cannot create a directory for the SSH connections in " + fs::temp_directory_path().string());
  std::unique_ptr<HostSet> set(new HostSet(pattern));
  for (const HostEntry& entry : file.hosts) set->hosts_.push_back(std::make_shared<SshHost>(entry, set->control_directory_));
  return set;
}

HostSet::~HostSet() {
  collect(false);
  for (const auto& host : hosts_) host->close();
  std::error_code error;
  fs::remove_all(control_directory_, error);
}

std::vector<std::string> HostSet::addresses() const {
  std::vector<std::string> addresses;
  for (const auto& host : hosts_) addresses.push_back(host->entry().address);
  return addresses;
}

std::string HostSet::check(const HostRequirements& requirements, std::ostream& log) {
  std::vector<std::string> installed;
  for (const HostProgram& program : requirements.programs)
    if (!program.uploaded) installed.push_back(program.path.string());
  std::vector<std::string> problems;
  const std::string machine = local_machine();
  for (const auto& host : hosts_) {
    log << "checking host " << host->name() << "...\n";
    const RemoteResult probe = host->run(host_probe_command(host->entry().directory, installed));
    if (probe.exit_code == 255 || probe.exit_code == 127) {
      problems.push_back(host->name() + ": cannot be reached over SSH: " + probe.said());
      continue;
    }
    const HostFacts facts = parse_host_facts(probe.output);
    host->set_root_by_sudo(facts.uid != 0 && facts.sudo);
    for (const std::string& problem : host_problems(facts, requirements, machine))
      problems.push_back(host->name() + ": " + problem);
  }
  return joined(problems, "\n");
}

std::string HostSet::remote_run_directory(const SshHost& host) const {
  return host.entry().directory + "/" + run_name_;
}

std::string HostSet::prepare(const fs::path& local_run_directory, const HostRequirements& requirements) {
  local_run_directory_ = local_run_directory;
  // The store's <name>/<time> as one name: runs of other names started in the same second differ.
  run_name_ = local_run_directory.parent_path().filename().string() + "-" + local_run_directory.filename().string();
  prepared_ = true;
  uploaded_.clear();
  for (const HostProgram& program : requirements.programs)
    if (program.uploaded) uploaded_.push_back(program);
  std::vector<std::string> problems;
  for (const auto& host : hosts_) {
    const std::string remote = remote_run_directory(*host);
    const RemoteResult made = host->run("mkdir -p " + shell_quote(remote + "/bin") + " " + shell_quote(remote + "/data") +
                                        " " + shell_quote(remote + "/nodes") + " && echo " + shell_quote(our_identity()) +
                                        " > " + shell_quote(remote + "/controller"));
    if (!made.ok()) {
      problems.push_back(host->name() + ": cannot create " + remote + ": " + made.said());
      continue;
    }
    for (const HostProgram& program : uploaded_) {
      const std::string target = remote + "/bin/" + program.path.filename().string();
      if (const RemoteResult sent = host->upload(program.path, target); !sent.ok()) {
        problems.push_back(host->name() + ": uploading " + program.path.string() + " failed: " + sent.said());
        continue;
      }
      // The loader's verdict: every library found, and the program starts.
      const std::string quoted = shell_quote(target);
      const RemoteResult tried = host->run("missing=$(ldd " + quoted + " 2>&1 | grep 'not found'); if [ -n \"$missing\" ]; "
                                           "then echo \"$missing\"; exit 1; fi; " + quoted + " --help > /dev/null");
      if (!tried.ok())
        problems.push_back(host->name() + ": " + program.path.filename().string() +
                           " cannot run there (libraries it needs are missing: install them on the host):\n  " +
                           tried.said());
    }
  }
  if (!problems.empty()) {
    collect(false);
    return joined(problems, "\n");
  }
  return "";
}

ProcessFactory HostSet::process_factory() const {
  return [this](std::size_t index, ProcessSpec spec) -> std::unique_ptr<SupervisedProcess> {
    const std::shared_ptr<SshHost>& host = hosts_.at(index);
    const std::string remote = remote_run_directory(*host);
    std::string binary = spec.binary.string();
    for (const HostProgram& program : uploaded_)
      if (program.path == spec.binary) binary = remote + "/bin/" + program.path.filename().string();
    return std::make_unique<RemoteProcess>(host, std::move(spec), local_run_directory_, remote, binary);
  };
}

std::vector<std::string> HostSet::collect(bool download) {
  std::vector<std::string> errors;
  if (!prepared_) return errors;
  for (const auto& host : hosts_) {
    const std::string remote = remote_run_directory(*host);
    if (download)
      for (const char* sub : {"nodes", "data"})
        if (const RemoteResult got = host->download_directory(remote + "/" + sub, local_run_directory_ / sub); !got.ok())
          errors.push_back(host->name() + ": downloading " + remote + "/" + sub + " failed: " + got.said());
    // The run's directory, and the hosts file's directory when nothing else is left in it.
    const RemoteResult removed = host->run("rm -rf " + shell_quote(remote) + " && { rmdir " +
                                           shell_quote(host->entry().directory) + " 2>/dev/null; true; }");
    if (!removed.ok()) errors.push_back(host->name() + ": removing " + remote + " failed: " + removed.said());
  }
  prepared_ = false;
  return errors;
}

}  // namespace faultline
