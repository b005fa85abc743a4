#include "netns_layout.h"

#include <catch2/catch.hpp>

using namespace faultline::netns;
using faultline::proxy::LinkState;

TEST_CASE("netns layout: a bridge namespace and one namespace per node, addresses in 198.18.0.0/24") {
  const NetnsLayout layout = make_layout(run_tag(4242, 987654), {"n1", "n2", "n3"});
  CHECK(layout.run_tag == "4242-987654");
  CHECK(layout.bridge_namespace == "faultline-4242-987654-bridge");
  REQUIRE(layout.nodes.size() == 3);
  CHECK(layout.nodes[0].namespace_name == "faultline-4242-987654-n1");
  CHECK(layout.nodes[2].address == "198.18.0.3");
}

TEST_CASE("netns layout: setup builds the bridge first and never puts an interface in the root namespace") {
  const NetnsLayout layout = make_layout("7-8", {"n1", "n2"});
  const std::vector<Command> commands = setup_commands(layout);
  CHECK(commands.front() == Command{"ip", "netns", "add", "faultline-7-8-bridge"});
  CHECK(commands[1] == Command{"ip", "-n", "faultline-7-8-bridge", "link", "add", "br0", "type", "bridge"});
  // Every interface command runs inside one of the run's namespaces (-n NAME).
  for (const Command& command : commands) {
    if (command[1] == "netns") continue;
    REQUIRE(command.size() > 2);
    CHECK(command[1] == "-n");
    CHECK(command[2].starts_with("faultline-7-8-"));
  }
  CHECK(std::count(commands.begin(), commands.end(),
                   Command{"ip", "-n", "faultline-7-8-n2", "link", "add", "eth0", "type", "veth", "peer", "name",
                           "v-n2", "netns", "faultline-7-8-bridge"}) == 1);
  CHECK(std::count(commands.begin(), commands.end(),
                   Command{"ip", "-n", "faultline-7-8-n1", "addr", "add", "198.18.0.1/24", "dev", "eth0"}) == 1);
  CHECK(teardown_commands(layout) == std::vector<Command>{{"ip", "netns", "delete", "faultline-7-8-n1"},
                                                           {"ip", "netns", "delete", "faultline-7-8-n2"},
                                                           {"ip", "netns", "delete", "faultline-7-8-bridge"}});
}

TEST_CASE("netns layout: the owner of a namespace is read back from its name, and only from ours") {
  CHECK(owner_of_namespace("faultline-4242-987654-n1") == RunOwner{4242, 987654});
  CHECK(owner_of_namespace("faultline-4242-987654-bridge") == RunOwner{4242, 987654});
  CHECK_FALSE(owner_of_namespace("faultline-4242-n1").has_value());
  CHECK_FALSE(owner_of_namespace("faultline-x-1-n1").has_value());
  CHECK_FALSE(owner_of_namespace("faultline-0-1-n1").has_value());
  CHECK_FALSE(owner_of_namespace("docker-4242-987654-n1").has_value());
  CHECK_FALSE(owner_of_namespace("faultline-1-2-").has_value());
}

TEST_CASE("netns rules: a cut link drops its source, loss drops at random, open links add nothing") {
  const NetnsLayout layout = make_layout("1-2", {"n1", "n2", "n3"});
  LinkState cut;
  cut.cut = true;
  LinkState lossy;
  lossy.loss_probability = 0.25;
  CHECK(firewall_rules(layout, "n3", {{"n1", cut}, {"n2", lossy}}) ==
        "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
        "-A INPUT -s 198.18.0.1/32 -j DROP\n"
        "-A INPUT -s 198.18.0.2/32 -m statistic --mode random --probability 0.250000 -j DROP\n"
        "COMMIT\n");
  CHECK(firewall_rules(layout, "n1", {{"n2", LinkState{}}}) ==
        "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n");
  CHECK(load_firewall_command(layout, "n2") ==
        Command{"ip", "netns", "exec", "faultline-1-2-n2", "iptables-restore", "-w", "5"});
  LinkState slow;
  slow.latency_ms = 20;
  CHECK_THAT(unsupported_in_netns(slow), Catch::Contains("--network proxy"));
  CHECK(unsupported_in_netns(cut).empty());
}
