// End to end: `faultline test --hosts` over SSH, on "hosts" that scripts/test-hosts makes on
// this machine (network namespaces, each with its own root directory and Debian's sshd); the
// controller runs in a namespace of its own, from which alone the hosts can be reached. The
// code path is the one for real hosts. Needs root and sshd, else skipped.
//
// Each case makes its own hosts (its own name and subnet, so cases may run side by side) and
// removes them at the end. After every run, the hosts are looked at from outside: no process
// but sshd, no iptables rule of the run, no file of the run.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "e2e_support.h"

using namespace faultline::e2e;

namespace {

// The output of a shell command (stdout and stderr), and its exit code.
Run shell(const std::string& command) {
  Run run;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) run.output.append(buffer, n);
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return run;
}

void skip_unless_possible() {
  if (geteuid() != 0) skip_test("--hosts on this machine needs root (scripts/test-hosts makes namespaces)");
  if (access("/usr/sbin/sshd", X_OK) != 0) skip_test("no /usr/sbin/sshd (Debian package openssh-server)");
  if (access("scripts/test-hosts", X_OK) != 0) skip_test("no scripts/test-hosts (run from the repository root)");
}

// Hosts of one test case: made by scripts/test-hosts up, removed by down.
struct TestHosts {
  TempStore store;
  std::string name;
  fs::path file;
  int count;

  // `number` makes the name and the subnet of this case's hosts (1..40).
  TestHosts(int number, const std::string& extra = "", int hosts = 3)
      : name("flhe" + std::to_string(number)), file(store.path / "hosts.json"), count(hosts) {
    const Run up = shell("scripts/test-hosts up " + file.string() + " --count " + std::to_string(hosts) + " --name " +
                         name + " --subnet 198.19." + std::to_string(200 + number) + " " + extra);
    INFO(up.output);
    REQUIRE(up.exit_code == 0);
  }
  ~TestHosts() {
    const Run down = shell("scripts/test-hosts down " + file.string());
    if (down.exit_code != 0) std::fprintf(stderr, "scripts/test-hosts down failed:\n%s\n", down.output.c_str());
  }
  std::string controller_namespace() const { return name + "-ctl"; }
  std::string host_namespace(int i) const { return name + "-h" + std::to_string(i); }
  fs::path host_root(int i) const { return fs::path(file.string() + ".d") / ("h" + std::to_string(i)) / "root"; }

  // What a run left on the hosts, one line per leftover; empty when nothing.
  std::vector<std::string> leftovers() const {
    std::vector<std::string> found;
    for (int i = 1; i <= count; ++i) {
      const std::string where = "host " + std::to_string(i) + ": ";
      for (const std::string& pid : split_lines(shell("ip netns pids " + host_namespace(i)).output)) {
        std::string command = read_text("/proc/" + pid + "/cmdline");
        std::replace(command.begin(), command.end(), '\0', ' ');
        // The host itself: its sshd, and the unshare that holds its namespaces (scripts/test-hosts).
        const bool the_host = command.starts_with("sshd") || command.starts_with("/usr/sbin/sshd") ||
                              command.starts_with("unshare ");
        if (!the_host && !command.empty())
          found.push_back(where + "process " + pid + ": " + command);
      }
      const Run rules = shell("ip netns exec " + host_namespace(i) + " iptables -S");
      if (rules.output.find("faultline") != std::string::npos) found.push_back(where + "iptables: " + rules.output);
      std::error_code error;
      for (const auto& entry : fs::recursive_directory_iterator(host_root(i) / "tmp", error))
        found.push_back(where + "file " + entry.path().string());
    }
    return found;
  }

  static std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) lines.push_back(line);
    return lines;
  }
};

// faultline in the controller's namespace (the only place the hosts can be reached from).
pid_t spawn_on_controller(const TestHosts& hosts, const std::vector<std::string>& arguments, const fs::path& output) {
  std::vector<std::string> all = {"ip", "netns", "exec", hosts.controller_namespace(), faultline_binary().string()};
  all.insert(all.end(), arguments.begin(), arguments.end());
  return spawn_program(std::move(all), output);
}

Run run_on_controller(const TestHosts& hosts, const std::vector<std::string>& arguments) {
  const fs::path output = hosts.store.path / "run.txt";
  const int code = wait_exit_code(spawn_on_controller(hosts, arguments, output));
  return {code, read_text(output)};
}

std::vector<std::string> hosts_run(const TestHosts& hosts, std::uint64_t seed,
                                   std::vector<std::pair<std::string, std::string>> changes) {
  changes.emplace_back("--hosts", hosts.file.string());
  return test_arguments(hosts.store, "hosts", seed, std::move(changes));
}

// Starts a long run under `nemesis` and returns once its history shows a partition in place
// (its rules are then on the hosts); the run goes on.
pid_t start_partitioned_run(const TestHosts& hosts, std::uint64_t seed, const std::string& nemesis,
                            const fs::path& output) {
  const pid_t pid = spawn_on_controller(
      hosts, hosts_run(hosts, seed, {{"--nemesis", nemesis}, {"--time-limit", "60"}, {"--nemesis-interval", "1"}}),
      output);
  const bool partitioned = wait_until(
      [&] {
        std::error_code error;
        const fs::path latest = hosts.store.path / "hosts" / "latest";
        return fs::exists(latest, error) && history_shows_partition(latest / "history.jsonl");
      },
      std::chrono::seconds(40));
  CHECK(partitioned);
  return pid;
}

}  // namespace

TEST_CASE("hosts: the Paxos node on 3 hosts under kill, pause and partition is valid, the hosts are left clean") {
  skip_unless_possible();
  TestHosts hosts(1);
  const Run run = run_on_controller(hosts, hosts_run(hosts, 1, {{"--nemesis", "kill,pause,partition"},
                                                              {"--time-limit", "15"}, {"--nemesis-interval", "1.5"}}));
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK(run.output.find("verdict: valid") != std::string::npos);
  const fs::path latest = fs::canonical(hosts.store.path / "hosts" / "latest");
  const std::string history = read_text(latest / "history.jsonl");
  CHECK(history.find("\"f\":\"kill\"") != std::string::npos);
  CHECK(history.find("\"f\":\"start-partition\"") != std::string::npos);
  for (const char* node : {"n1", "n2", "n3"}) {
    CHECK(read_text(latest / "nodes" / (std::string(node) + ".log")).find("serving on 0.0.0.0:") != std::string::npos);
    CHECK(fs::exists(latest / "data" / node));
  }
  CHECK(hosts.leftovers() == std::vector<std::string>{});
}

TEST_CASE("hosts: quorum R=1 W=1 on 3 hosts under partitions is invalid") {
  skip_unless_possible();
  TestHosts hosts(2);
  const Run run = run_on_controller(
      hosts, hosts_run(hosts, 1, {{"--protocol", "quorum"}, {"--read-quorum", "1"}, {"--write-quorum", "1"},
                                  {"--workload", "kv"}, {"--nemesis", "kill,pause,partition"},
                                  {"--time-limit", "20"}, {"--nemesis-interval", "1"}}));
  INFO(run.output);
  CHECK(run.exit_code == 1);
  CHECK(run.output.find("linearizability  invalid") != std::string::npos);
  CHECK(hosts.leftovers() == std::vector<std::string>{});
}

TEST_CASE("hosts: etcd on 3 hosts under kill and partition is valid, the hosts are left clean") {
  skip_unless_possible();
  if (access("/usr/bin/etcd", X_OK) != 0) skip_test("no /usr/bin/etcd (Debian package etcd-server)");
  TestHosts hosts(6);
  const Run run = run_on_controller(hosts, hosts_run(hosts, 1, {{"--target", "etcd"}, {"--nemesis", "kill,partition"},
                                                              {"--time-limit", "12"}, {"--nemesis-interval", "1.5"}}));
  INFO(run.output);
  CHECK(run.exit_code == 0);
  const fs::path latest = fs::canonical(hosts.store.path / "hosts" / "latest");
  CHECK(read_text(latest / "history.jsonl").find("\"f\":\"start-partition\"") != std::string::npos);
  CHECK(fs::exists(latest / "data" / "n1" / "member"));
  CHECK(hosts.leftovers() == std::vector<std::string>{});
}

TEST_CASE("hosts: SIGINT in the middle of a run stops it and leaves the hosts clean") {
  skip_unless_possible();
  TestHosts hosts(3);
  const fs::path output = hosts.store.path / "run.txt";
  // Interrupted while a partition is in place: the run's rules are on the hosts.
  const pid_t pid = start_partitioned_run(hosts, 2, "partition,kill", output);
  kill(pid, SIGINT);
  const int code = wait_exit_code(pid);
  INFO(read_text(output));
  CHECK(code == 2);  // unknown: interrupted
  CHECK(read_text(output).find("verdict: unknown (interrupted)") != std::string::npos);
  CHECK(hosts.leftovers() == std::vector<std::string>{});
}

TEST_CASE("hosts: what a controller killed with SIGKILL left on the hosts is swept by faultline cleanup --hosts") {
  skip_unless_possible();
  TestHosts hosts(7);
  const fs::path output = hosts.store.path / "run.txt";
  const pid_t pid = start_partitioned_run(hosts, 3, "partition", output);
  kill(pid, SIGKILL);
  wait_exit_code(pid);
  // The nodes, the run's files and its firewall chain are still on the hosts...
  CHECK(hosts.leftovers().size() >= 3);
  const Run cleanup = run_on_controller(hosts, {"cleanup", "--hosts", hosts.file.string()});
  INFO(cleanup.output);
  CHECK(cleanup.exit_code == 0);
  CHECK(cleanup.output.find("(its controller, process " + std::to_string(pid) + ", is gone)") != std::string::npos);
  // ...until the sweep.
  CHECK(hosts.leftovers() == std::vector<std::string>{});
}

TEST_CASE("hosts: unreachable hosts, hosts without root and hosts without the node's libraries are refused first") {
  skip_unless_possible();
  TestHosts hosts(4, "--unprivileged-host 2 --missing-library 3:libstdc++.so.6");

  SECTION("without root, a host cannot be partitioned") {
    const Run run = run_on_controller(hosts, hosts_run(hosts, 1, {{"--nemesis", "partition"}}));
    INFO(run.output);
    CHECK(run.exit_code == 3);
    CHECK(run.output.find("tester@198.19.204.12:22 (n2): partitions and packet faults change the host's firewall "
                          "(iptables), which needs root") != std::string::npos);
    CHECK(run.output.find("starting") == std::string::npos);
  }
  SECTION("a host that lacks a library of faultline-node") {
    const Run run = run_on_controller(hosts, hosts_run(hosts, 1, {{"--nemesis", "kill"}}));
    INFO(run.output);
    CHECK(run.exit_code == 3);
    CHECK(run.output.find("(n3): faultline-node cannot run there") != std::string::npos);
    CHECK(run.output.find("libstdc++.so.6 => not found") != std::string::npos);
    CHECK(run.output.find("starting") == std::string::npos);
  }
  SECTION("a host that cannot be reached") {
    json file = read_json(hosts.file);
    file["hosts"][0]["address"] = "198.19.204.99";
    std::ofstream(hosts.store.path / "unreachable.json") << file.dump();
    std::vector<std::string> arguments = hosts_run(hosts, 1, {{"--nemesis", "kill"}});
    arguments[std::find(arguments.begin(), arguments.end(), "--hosts") - arguments.begin() + 1] =
        (hosts.store.path / "unreachable.json").string();
    const Run run = run_on_controller(hosts, arguments);
    INFO(run.output);
    CHECK(run.exit_code == 3);
    CHECK(run.output.find("root@198.19.204.99:22 (n1): cannot be reached over SSH") != std::string::npos);
  }
  CHECK(hosts.leftovers() == std::vector<std::string>{});
}

TEST_CASE("hosts: hosts that only the controller's namespace reaches are refused from anywhere else") {
  skip_unless_possible();
  TestHosts hosts(5, "--count 2");
  const Run run = run_faultline(hosts_run(hosts, 1, {{"--nemesis", "kill"}}), hosts.store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 3);
  CHECK(run.output.find("these hosts can be reached only from the network namespace flhe5-ctl: run faultline in it "
                        "(ip netns exec flhe5-ctl faultline ...)") != std::string::npos);
  CHECK(hosts.leftovers() == std::vector<std::string>{});
}

TEST_CASE("hosts: --network and --nodes do not apply with --hosts") {
  TempStore store;
  for (const auto& [flag, value, message] :
       {std::tuple{"--network", "netns", "--network does not apply with --hosts"},
        std::tuple{"--nodes", "5", "--nodes does not apply with --hosts"}}) {
    const Run run = run_faultline({"test", "--hosts", "/nonexistent/hosts.json", "--store", store.path.string(),
                                   "--nemesis", "partition", flag, value},
                                  store.path / "out.txt");
    INFO(run.output);
    CHECK(run.exit_code == 3);
    CHECK(run.output.find(message) != std::string::npos);
  }
}

TEST_CASE("hosts: power loss and file corruption are refused with --hosts") {
  TempStore store;
  std::ofstream(store.path / "hosts.json") << R"({"hosts": [{"address": "10.0.0.1"}, {"address": "10.0.0.2"}]})";
  for (const auto& [nemesis, message] :
       {std::pair{"power-loss", "--nemesis power-loss cannot act with --hosts"},
        std::pair{"corrupt", "--nemesis corrupt cannot act with --hosts yet"}}) {
    const Run run = run_faultline({"test", "--hosts", (store.path / "hosts.json").string(), "--store",
                                   store.path.string(), "--nemesis", nemesis},
                                  store.path / "out.txt");
    INFO(run.output);
    CHECK(run.exit_code == 3);
    CHECK(run.output.find(message) != std::string::npos);
  }
}

TEST_CASE("hosts: a bad hosts file is named with its field") {
  TempStore store;
  std::ofstream(store.path / "hosts.json") << R"({"hosts": [{"address": "10.0.0.1", "port": 70000}]})";
  const Run run = run_faultline({"test", "--hosts", (store.path / "hosts.json").string(), "--store", store.path.string()},
                                store.path / "out.txt");
  INFO(run.output);
  CHECK(run.exit_code == 3);
  CHECK(run.output.find("hosts.json: hosts[0].port: expected an integer from 1 to 65535, got 70000") != std::string::npos);
}
