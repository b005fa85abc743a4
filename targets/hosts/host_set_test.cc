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
