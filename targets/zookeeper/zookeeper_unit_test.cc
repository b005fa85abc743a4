// The ZooKeeper target's pure parts against literal values: zoo.cfg, the java command line,
// the version line, znode paths and the answer mapping.
#include <zookeeper/zookeeper.h>

#include <catch2/catch.hpp>

#include <map>

#include "zookeeper_outcome.h"
#include "zookeeper_target.h"

using namespace faultline;

namespace {

std::vector<LocalNode> three_on_loopback() {
  std::vector<LocalNode> nodes(3);
  for (std::size_t i = 0; i < 3; ++i) {
    nodes[i].placement.listen_address = "127.0.0.1:" + std::to_string(7001 + i);
    nodes[i].placement.client_address = nodes[i].placement.listen_address;
    nodes[i].extra_ports = {static_cast<std::uint16_t>(8001 + i), static_cast<std::uint16_t>(9001 + i)};
  }
  return nodes;
}

}  // namespace

TEST_CASE("zookeeper: zoo.cfg names every server with its quorum and election ports") {
  ZooKeeperOptions options;
  options.directory = "/run/x";
  const std::string config = zookeeper_config(options, 1, three_on_loopback());
  CHECK(config.find("dataDir=/run/x/data/n2\n") != std::string::npos);
  CHECK(config.find("clientPortAddress=127.0.0.1\nclientPort=9002\n") != std::string::npos);
  CHECK(config.find("server.1=127.0.0.1:7001:8001\nserver.2=127.0.0.1:7002:8002\nserver.3=127.0.0.1:7003:8003\n") !=
        std::string::npos);
  CHECK(config.find("tickTime=200\n") != std::string::npos);
  CHECK(config.find("4lw.commands.whitelist=srvr,ruok") != std::string::npos);
  // One server runs standalone: no server lines.
  std::vector<LocalNode> one = three_on_loopback();
  one.resize(1);
  CHECK(zookeeper_config(options, 0, one).find("server.") == std::string::npos);
}

TEST_CASE("zookeeper: the java command line and the version") {
  ZooKeeperOptions options;
  const std::vector<std::string> arguments = zookeeper_server_arguments(options, "/d/zoo.cfg");
  REQUIRE(arguments.size() >= 3);
  CHECK(arguments[arguments.size() - 2] == "org.apache.zookeeper.server.quorum.QuorumPeerMain");
  CHECK(arguments.back() == "/d/zoo.cfg");
  CHECK(zookeeper_version_of("Apache ZooKeeper, version 3.8.0 2024-12-29 17:54 UTC\n") == "3.8.0");
  CHECK(zookeeper_version_of("Apache ZooKeeper, version 3.9.2-SNAPSHOT 2024") == "3.9.2");
  CHECK(zookeeper_version_of("Error: could not find or load main class") == "");
}

TEST_CASE("zookeeper: a key is one znode under /faultline, escaped") {
  CHECK(zookeeper_path_of("k1") == "/faultline/k1");
  CHECK(zookeeper_path_of("a/b c") == "/faultline/a%2Fb%20c");
  CHECK(zookeeper_path_of("..") == "/faultline/..");
}

TEST_CASE("zookeeper: answers map to ok, fail and info as a read, write or cas can tell") {
  const ZooKeeperAnswer ok{true, true, ZOK};
  CHECK(zookeeper_outcome(KvRequestKind::write, ok, "set").type == OpType::ok);
  // Nothing sent: fail, whatever the request.
  CHECK(zookeeper_outcome(KvRequestKind::write, {false, false, ZOK}, "set").type == OpType::fail);
  CHECK(zookeeper_outcome(KvRequestKind::cas, {false, false, ZINVALIDSTATE}, "set").error.find("ZINVALIDSTATE") != std::string::npos);
  // Sent and lost: a read changed nothing; a write may have been applied.
  CHECK(zookeeper_outcome(KvRequestKind::read, {true, true, ZCONNECTIONLOSS}, "get").type == OpType::fail);
  CHECK(zookeeper_outcome(KvRequestKind::write, {true, true, ZCONNECTIONLOSS}, "set").type == OpType::info);
  CHECK(zookeeper_outcome(KvRequestKind::cas, {true, false, ZOK}, "set").type == OpType::info);
  CHECK(zookeeper_outcome(KvRequestKind::read, {true, false, ZOK}, "get").type == OpType::fail);
  // A failed version check is the cas failing, definitely.
  const ClientOutcome bad_version = zookeeper_outcome(KvRequestKind::cas, {true, true, ZBADVERSION}, "set");
  CHECK(bad_version.type == OpType::fail);
  CHECK(bad_version.answer == "answered");
  CHECK(zookeeper_outcome(KvRequestKind::write, {true, true, ZBADVERSION}, "set").type == OpType::info);
}

TEST_CASE("zookeeper: clock offsets as libfaketime reads them, and the environment that preloads it") {
  CHECK(faketime_offset_text(0) == "+0.000");
  CHECK(faketime_offset_text(1500) == "+1.500");
  CHECK(faketime_offset_text(-250) == "-0.250");
  CHECK(faketime_offset_text(-61'005) == "-61.005");
  const auto environment = faketime_environment("/lib/ft.so", "/d/faketime");
  const std::map<std::string, std::string> set(environment.begin(), environment.end());
  CHECK(set.at("LD_PRELOAD") == "/lib/ft.so");
  CHECK(set.at("FAKETIME_TIMESTAMP_FILE") == "/d/faketime");
  CHECK(set.at("FAKETIME_DONT_FAKE_MONOTONIC") == "1");
  CHECK(set.at("FAKETIME_CACHE_DURATION") == "1");
}
