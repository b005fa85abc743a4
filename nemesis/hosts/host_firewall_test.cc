#include "host_firewall.h"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("the links into a host become its chain: cut is DROP, loss is DROP by chance, open is nothing") {
  proxy::LinkState cut, lossy, open;
  cut.cut = true;
  lossy.loss_probability = 0.2;
  CHECK(hosts::firewall_chain_rules({{"10.0.0.12", cut}, {"10.0.0.13", lossy}, {"10.0.0.14", open}}) ==
        "*filter\n:faultline - [0:0]\n"
        "-A faultline -s 10.0.0.12 -j DROP\n"
        "-A faultline -s 10.0.0.13 -m statistic --mode random --probability 0.200000 -j DROP\n"
        "COMMIT\n");
  CHECK(hosts::firewall_chain_rules({}) == "*filter\n:faultline - [0:0]\nCOMMIT\n");
}

TEST_CASE("hosts cannot delay packets") {
  proxy::LinkState slow;
  slow.latency_ms = 50;
  CHECK(hosts::unsupported_on_hosts(slow).find("use --packet loss") != std::string::npos);
  CHECK(hosts::unsupported_on_hosts(proxy::link_open).empty());
}

TEST_CASE("the chain is installed with a jump from INPUT once, and removed whole") {
  CHECK(hosts::install_firewall_command().find("iptables -w 5 -C INPUT -j faultline 2>/dev/null || iptables -w 5 -I INPUT 1 -j faultline") !=
        std::string::npos);
  CHECK(hosts::remove_firewall_command().find("iptables -w 5 -X faultline") != std::string::npos);
}
