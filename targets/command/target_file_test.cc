// Target files: what is accepted, what is refused (naming the file and the field), and the
// command line each node gets.
#include "target_file.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

std::string error_of(const std::string& text) {
  auto parsed = parse_target_file(text, "/etc/db/mydb.json");
  REQUIRE_FALSE(parsed);
  return parsed.error();
}

}  // namespace

TEST_CASE("a target file expands into each node's command line") {
  auto file = parse_target_file(R"({
    "name": "mydb",
    "start": ["bin/mydb", "--id", "{id}", "--listen", "{listen}", {"for_each_peer": ["--peer", "{peer_id}={peer_address}"]},
              "--data", "{data_dir}", "--all", "{peers}", "--port", "{listen_port}", "--first", "{peer:n1}", "#{index}"],
    "health": {"path": "/ready"}, "start_timeout_ms": 5000
  })", "/etc/db/mydb.json");
  REQUIRE(file);
  CHECK(file->name == "mydb");
  CHECK(file->health_path == "/ready");
  CHECK(file->start_timeout_ms == 5000);
  CHECK(file->stop_grace_ms == 3000);
  CHECK(file->peers_proxyable);
  NodeTemplateValues values;
  values.id = "n2";
  values.index = 2;
  values.listen = "127.0.0.1:7002";
  values.data_dir = "/run/x/data/n2";
  values.peers = {{"n1", "127.0.0.1:9001"}, {"n3", "127.0.0.1:9003"}};
  CHECK(expand_start(*file, values) ==
        std::vector<std::string>{"/etc/db/bin/mydb", "--id", "n2", "--listen", "127.0.0.1:7002", "--peer",
                                 "n1=127.0.0.1:9001", "--peer", "n3=127.0.0.1:9003", "--data", "/run/x/data/n2",
                                 "--all", "n1=127.0.0.1:9001,n3=127.0.0.1:9003", "--port", "7002", "--first",
                                 "127.0.0.1:9001", "#2"});
}

TEST_CASE("the program: beside the faultline binaries, relative to the file, or on PATH") {
  NodeTemplateValues values;
  values.faultline_node = "/opt/faultline/bin/faultline-node";
  auto node = parse_target_file(R"({"start": ["{faultline_node}"]})", "/etc/db/x.json");
  REQUIRE(node);
  CHECK(expand_start(*node, values).front() == "/opt/faultline/bin/faultline-node");
  auto bare = parse_target_file(R"({"start": ["mydb"]})", "/etc/db/x.json");
  REQUIRE(bare);
  CHECK(expand_start(*bare, values).front() == "mydb");
  CHECK(bare->name == "x");
}

TEST_CASE("a typo in a target file is refused with the file and the field's path") {
  CHECK(error_of(R"({"start": ["db", "--listen", "{lisen}"]})") ==
        "/etc/db/mydb.json: start[2]: unknown template {lisen} (known: {id}, {index}, {listen}, {listen_host}, "
        "{listen_port}, {data_dir}, {peers}, {peer:<id>}, {faultline_node}, {target_dir})");
  CHECK(error_of(R"({"start": ["db"], "helth": {"path": "/h"}})").starts_with("/etc/db/mydb.json: helth: unknown field"));
  CHECK(error_of(R"({"start": ["db", {"for_each_peer": ["--peer", 3]}]})") ==
        "/etc/db/mydb.json: start[1].for_each_peer[1]: expected a string");
  CHECK(error_of(R"({"start": ["db", "{peer_id}"]})") ==
        "/etc/db/mydb.json: start[1]: {peer_id} is only known inside {\"for_each_peer\": [...]}");
  CHECK(error_of(R"({"start": []})").starts_with("/etc/db/mydb.json: start: expected an array"));
  CHECK(error_of(R"({"name": "x"})").starts_with("/etc/db/mydb.json: start: missing"));
  CHECK(error_of(R"({"start": ["db"], "health": {"path": "health"}})").starts_with("/etc/db/mydb.json: health.path:"));
  CHECK(error_of(R"({"start": ["db"], "start_timeout_ms": -1})") ==
        "/etc/db/mydb.json: start_timeout_ms: expected a positive number of milliseconds");
  CHECK(error_of(R"({"start": ["db"], "api": "redis"})").starts_with("/etc/db/mydb.json: api:"));
  // Found by fuzz/target_file_fuzz: a number too large for a double aborted the program.
  CHECK(error_of(R"({"start": ["db"], "start_timeout_ms": 1e999})").starts_with("/etc/db/mydb.json: not usable JSON: "));
  CHECK(error_of("{\n  \"start\": [\"db\",]\n}") == "/etc/db/mydb.json: line 2, column 18: not valid JSON");
  CHECK(error_of(R"({"start": ["db", "{id"]})").starts_with("/etc/db/mydb.json: start[1]: a '{' without '}'"));
}

TEST_CASE("a file that cannot be read says so") {
  auto missing = read_target_file("/nonexistent/mydb.json");
  REQUIRE_FALSE(missing);
  CHECK(missing.error() == "/nonexistent/mydb.json: cannot read");
}
