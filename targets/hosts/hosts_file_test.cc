#include "hosts_file.h"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("a hosts file gives each host its node, in node order, with defaults") {
  auto file = parse_hosts_file(R"({"hosts": [
      {"address": "10.0.0.12", "node": "n2", "user": "admin", "port": 2222},
      {"address": "10.0.0.11", "identity": "/k/id", "known_hosts": "/k/known", "clock": false}],
    "controller_namespace": "flh-ctl"})",
                               "h.json");
  INFO((file ? std::string() : file.error()));
  REQUIRE(file);
  REQUIRE(file->hosts.size() == 2);
  CHECK(file->hosts[0].address == "10.0.0.11");
  CHECK(file->hosts[0].node == "n1");
  CHECK(file->hosts[0].user == "root");
  CHECK(file->hosts[0].port == 22);
  CHECK(file->hosts[0].identity == "/k/id");
  CHECK_FALSE(file->hosts[0].clock);
  CHECK(file->hosts[0].directory == "/tmp/faultline");
  CHECK(file->hosts[1].address == "10.0.0.12");
  CHECK(file->hosts[1].user == "admin");
  CHECK(file->hosts[1].port == 2222);
}

TEST_CASE("a bad hosts file is refused naming the file and the field") {
  auto error = [](const std::string& text) {
    auto file = parse_hosts_file(text, "h.json");
    REQUIRE_FALSE(file);
    return file.error();
  };
  CHECK(error("{\"hosts\": [\n  {\"address\": }]}") == "h.json: not JSON at line 2, column 15");
  CHECK(error(R"({"hosts": []})") == "h.json: hosts: expected a non-empty array of hosts");
  CHECK(error(R"({"hosts": [{"address": "a", "port": 1e999}]})").starts_with("h.json: not usable JSON: "));
  CHECK(error(R"({"hosts": [{"port": 22}]})") == "h.json: hosts[0].address: missing (where SSH and clients reach the host)");
  CHECK(error(R"({"hosts": [{"address": "a", "port": 0}]})") ==
        "h.json: hosts[0].port: expected an integer from 1 to 65535, got 0");
  CHECK(error(R"({"hosts": [{"address": "a", "prot": 22}]})").starts_with("h.json: hosts[0].prot: unknown field"));
  CHECK(error(R"({"hosts": [{"address": "a"}, {"address": "a"}]})") ==
        "h.json: hosts[1].address: a is named twice (one node per host)");
  CHECK(error(R"({"hosts": [{"address": "a", "node": "n3"}, {"address": "b"}]})") ==
        "h.json: hosts[0].node: expected one of n1..n2, got n3");
  CHECK(error(R"({"hosts": [{"address": "a", "node": "n2"}, {"address": "b", "node": "n2"}]})") ==
        "h.json: hosts[1].node: n2 runs on two hosts");
  CHECK(error(R"({"hosts": [{"address": "a; rm -rf /"}]})").starts_with("h.json: hosts[0].address: not a host name"));
  CHECK(error(R"({"hosts": [{"address": "a", "directory": "tmp"}]})").starts_with("h.json: hosts[0].directory: expected an absolute path"));
  CHECK(error(R"({"hosts": [{"address": "a", "clock": "no"}]})") == "h.json: hosts[0].clock: expected true or false, got \"no\"");
  CHECK(error(R"({"hosts": [{"address": "a"}], "extra": 1})").starts_with("h.json: extra: unknown field"));
  CHECK(error(R"({"hosts": [{"address": "a"}], "controller_namespace": 5})") ==
        "h.json: controller_namespace: expected the name of a network namespace, got 5");
}

TEST_CASE("a hosts file that cannot be read says so") {
  auto file = read_hosts_file("/nonexistent/hosts.json");
  REQUIRE_FALSE(file);
  CHECK(file.error() == "/nonexistent/hosts.json: cannot read");
}
