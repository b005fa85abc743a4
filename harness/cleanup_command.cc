// `faultline cleanup`: removes what runs that died left behind on this machine: the network
// namespaces of the netns backend (and with them their veths, bridges and iptables rules)
// whose controller is gone, and the faultline-lazyfs mounts of --nemesis power-loss whose
// daemon is gone. Namespaces and mounts of runs still going are never touched. Every
// `faultline test --network netns` sweeps namespaces when it starts, and every `faultline test`
// sweeps mounts. Local node processes need no sweep: they die with their controller
// (PR_SET_PDEATHSIG), and the proxies are threads of it. With --hosts FILE, also what runs of
// a controller of this machine that is gone left on those hosts (host_set.h: their nodes, files
// and firewall chain); `faultline test --hosts` does the same when it starts.
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "adapter/lazyfs_mount.h"
#include "hosts/host_set.h"
#include "hosts/hosts_file.h"
#include "command.h"
#include "netns/netns_network.h"

namespace faultline {

void add_cleanup_command(CLI::App& app, int& exit_code) {
  CLI::App* cleanup = app.add_subcommand(
      "cleanup",
      "Remove what crashed or killed runs left behind: network namespaces of --network netns runs whose "
      "controller is gone, and --nemesis power-loss mounts whose daemon is gone (runs still going are left "
      "alone). Prints what it removed.\n"
      "Exit code: 0 nothing left behind, 3 something could not be removed (root is needed to remove namespaces).");
  auto hosts_path = std::make_shared<std::string>();
  cleanup->add_option("--hosts", *hosts_path,
                      "Also sweep these hosts (a hosts file, as for faultline test --hosts): the nodes, files and "
                      "firewall chain of runs whose controller on this machine is gone");
  cleanup->callback([&exit_code, hosts_path] {
    const netns::SweepResult swept = netns::sweep_leftover_namespaces();
    for (const std::string& name : swept.removed) std::cout << "removed network namespace " << name << '\n';
    for (const std::string& error : swept.errors) std::cerr << "faultline cleanup: " << error << '\n';
    const LazyfsSweep mounts = sweep_dead_lazyfs_mounts();
    for (const std::string& point : mounts.removed) std::cout << "unmounted " << point << '\n';
    for (const std::string& error : mounts.errors) std::cerr << "faultline cleanup: " << error << '\n';
    std::vector<std::string> host_runs, host_errors;
    if (!hosts_path->empty()) {
      auto file = read_hosts_file(*hosts_path);
      if (!file) host_errors.push_back("--hosts: " + file.error());
      else if (std::string problem = controller_namespace_problem(*file); !problem.empty()) host_errors.push_back("--hosts: " + problem);
      else if (auto hosts = HostSet::open(*file); !hosts) host_errors.push_back("--hosts: " + hosts.error());
      else host_errors = (*hosts)->sweep(host_runs);
    }
    for (const std::string& run : host_runs) std::cout << "removed " << run << '\n';
    for (const std::string& error : host_errors) std::cerr << "faultline cleanup: " << error << '\n';
    if (swept.removed.empty() && swept.errors.empty() && mounts.removed.empty() && mounts.errors.empty() &&
        host_runs.empty() && host_errors.empty())
      std::cout << "nothing left behind by earlier runs\n";
    exit_code = swept.errors.empty() && mounts.errors.empty() && host_errors.empty() ? exit_valid : exit_input_error;
  });
}

}  // namespace faultline
