#include "host_set.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

const std::string healthy_probe =
    "kernel=Linux\nmachine=x86_64\nos=Debian GNU/Linux 12 (bookworm)\nuid=0\nfree_kb=5000000\ntar=yes\niptables=yes\n";

}  // namespace

TEST_CASE("a host's probe answers are read field by field") {
  const HostFacts facts = parse_host_facts(healthy_probe + "sudo=yes\nmissing=/usr/bin/etcd\nnoise\n");
  CHECK(facts.kernel == "Linux");
  CHECK(facts.machine == "x86_64");
  CHECK(facts.os == "Debian GNU/Linux 12 (bookworm)");
  CHECK(facts.uid == 0);
  CHECK(facts.sudo);
  CHECK(facts.free_kb == 5000000);
  CHECK(facts.tar);
  CHECK(facts.iptables);
  CHECK(facts.programs_missing == std::vector<std::string>{"/usr/bin/etcd"});
}

TEST_CASE("a healthy host has no problems") {
  const HostRequirements needs{true, {{"/build/bin/faultline-node", true}}};
  CHECK(host_problems(parse_host_facts(healthy_probe), needs, "x86_64").empty());
}

TEST_CASE("a host without root is a problem only for a run that changes its firewall") {
  HostFacts facts = parse_host_facts(healthy_probe);
  facts.uid = 1000;
  const HostRequirements firewall{true, {}}, no_firewall{false, {}};
  const auto problems = host_problems(facts, firewall, "x86_64");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("needs root: the user is uid 1000 without passwordless sudo") != std::string::npos);
  CHECK(host_problems(facts, no_firewall, "x86_64").empty());
  facts.sudo = true;
  CHECK(host_problems(facts, firewall, "x86_64").empty());
}

TEST_CASE("a host's other problems are each named") {
  HostFacts facts = parse_host_facts("kernel=Darwin\nmachine=arm64\nuid=0\nfree_kb=1024\nmissing=/usr/bin/etcd\n");
  const HostRequirements needs{true, {{"/build/bin/faultline-node", true}, {"/usr/bin/etcd", false}}};
  const auto problems = host_problems(facts, needs, "x86_64");
  CHECK(problems == std::vector<std::string>{
                        "runs Darwin, not Linux",
                        "is a arm64 machine; the programs faultline uploads are built for x86_64",
                        "has no tar (needed to bring the nodes' logs and data back)",
                        "has only 1 MiB free for the run's files (100 MiB needed)",
                        "has no iptables (Debian package iptables), which partitions need",
                        "has no program /usr/bin/etcd (the target's nodes run it; install it there)",
                    });
}

TEST_CASE("the probe asks for each installed program the target needs") {
  const std::string command = host_probe_command("/tmp/faultline", {"/usr/bin/etcd"});
  CHECK(command.find("[ -x '/usr/bin/etcd' ] || echo missing='/usr/bin/etcd'") != std::string::npos);
  CHECK(command.find("d='/tmp/faultline'") != std::string::npos);
}

TEST_CASE("a run on the hosts is swept only when its controller on this machine is gone") {
  const std::string identity = controller_identity("boot-a", 42, 1000);
  CHECK(identity == "boot-a 42 1000");
  auto alive = [](std::int64_t pid) -> std::optional<std::uint64_t> {
    return pid == 42 ? std::optional<std::uint64_t>(1000) : std::nullopt;
  };
  auto reused = [](std::int64_t) -> std::optional<std::uint64_t> { return 2000; };  // another process now
  auto gone = [](std::int64_t) -> std::optional<std::uint64_t> { return std::nullopt; };
  CHECK_FALSE(run_controller_gone(identity, "boot-a", alive));
  CHECK(run_controller_gone(identity, "boot-a", reused));
  CHECK(run_controller_gone(identity, "boot-a", gone));
  CHECK_FALSE(run_controller_gone(identity, "boot-b", gone));  // another machine's (or boot's) controller
  CHECK_FALSE(run_controller_gone("garbage", "boot-a", gone));
}

TEST_CASE("a dead run's nodes are killed only while they still run in its directory") {
  CHECK(remove_dead_run_command("/tmp/faultline/r 1") ==
        "for f in '/tmp/faultline/r 1'/nodes/*.pid; do [ -f \"$f\" ] || continue; p=$(cat \"$f\"); "
        "if [ \"$(readlink /proc/$p/cwd 2>/dev/null)\" = '/tmp/faultline/r 1' ]; then kill -KILL -- -$p 2>/dev/null; fi; "
        "done; rm -rf '/tmp/faultline/r 1'");
}
