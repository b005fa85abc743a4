// The etcd target's pure parts: each member's command line for loopback and for network
// namespaces, and the version out of `etcd --version`.
#include "etcd_target.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

// The value after `flag` in `arguments`, or "" when the flag is missing.
std::string flag_value(const std::vector<std::string>& arguments, const std::string& flag) {
  for (std::size_t i = 0; i + 1 < arguments.size(); ++i)
    if (arguments[i] == flag) return arguments[i + 1];
  return "";
}

std::vector<LocalNode> placed(const std::vector<NodePlacement>& placements, std::vector<std::uint16_t> client_ports) {
  std::vector<LocalNode> nodes;
  for (std::size_t i = 0; i < placements.size(); ++i) nodes.push_back({placements[i], {client_ports[i]}, ""});
  return nodes;
}

}  // namespace

TEST_CASE("etcd members on loopback: peers and clients on ports of their own") {
  EtcdOptions options;
  options.directory = "/run/x";
  const auto nodes = placed(loopback_placements({"n1", "n2", "n3"}, {7001, 7002, 7003}), {8001, 8002, 8003});
  const std::vector<std::string> second = etcd_member_arguments(options, 1, nodes);
  CHECK(flag_value(second, "--name") == "n2");
  CHECK(flag_value(second, "--data-dir") == "/run/x/data/n2");
  CHECK(flag_value(second, "--listen-peer-urls") == "http://127.0.0.1:7002");
  CHECK(flag_value(second, "--initial-advertise-peer-urls") == "http://127.0.0.1:7002");
  CHECK(flag_value(second, "--listen-client-urls") == "http://127.0.0.1:8002");
  CHECK(flag_value(second, "--advertise-client-urls") == "http://127.0.0.1:8002");
  CHECK(flag_value(second, "--initial-cluster") ==
        "n1=http://127.0.0.1:7001,n2=http://127.0.0.1:7002,n3=http://127.0.0.1:7003");
  CHECK(flag_value(second, "--initial-cluster-state") == "new");
  // Every member names the same cluster token.
  CHECK(flag_value(second, "--initial-cluster-token") == flag_value(etcd_member_arguments(options, 0, nodes), "--initial-cluster-token"));
}

TEST_CASE("etcd members in network namespaces: listen on every address, advertise the bridge address") {
  EtcdOptions options;
  options.directory = "/run/x";
  std::vector<NodePlacement> placements(2);
  placements[0] = {"0.0.0.0:7001", {{"n2", "198.18.0.3:7002"}}, {"ip", "netns", "exec", "ns1"}, "127.0.0.1:7001", "ns1"};
  placements[1] = {"0.0.0.0:7002", {{"n1", "198.18.0.2:7001"}}, {"ip", "netns", "exec", "ns2"}, "127.0.0.1:7002", "ns2"};
  const std::vector<std::string> first = etcd_member_arguments(options, 0, placed(placements, {8001, 8002}));
  CHECK(flag_value(first, "--listen-peer-urls") == "http://0.0.0.0:7001");
  CHECK(flag_value(first, "--initial-advertise-peer-urls") == "http://198.18.0.2:7001");
  CHECK(flag_value(first, "--listen-client-urls") == "http://0.0.0.0:8001");
  CHECK(flag_value(first, "--advertise-client-urls") == "http://127.0.0.1:8001");
  CHECK(flag_value(first, "--initial-cluster") == "n1=http://198.18.0.2:7001,n2=http://198.18.0.3:7002");
}

TEST_CASE("etcd's version from its --version output") {
  CHECK(etcd_version_of("etcd Version: 3.4.23\nGit SHA: Not provided (use ./build instead of go build)\n") == "3.4.23");
  CHECK(etcd_version_of("bash: etcd: command not found\n").empty());
}
