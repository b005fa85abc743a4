// The bundled target with real faultline-node processes: a cluster that serves, a node killed
// (refused: fail), paused (timeout: info), restarted with its data, and a clean stop; and
// the errors of a cluster that cannot start.
#include "bundled_target.h"
#include "http_kv_client.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <thread>
#include <fstream>

#include "test_support.h"

using namespace faultline;
using namespace std::chrono_literals;

namespace {

BundledOptions paxos_cluster(const std::filesystem::path& directory) {
  BundledOptions options;
  options.nodes = 3;
  options.node_binary = testing::node_binary();
  options.directory = directory;
  // Short, so that a request to a paused node gives up quickly.
  options.request_timeout_ms = 1'000;
  return options;
}

std::unique_ptr<BundledTarget> make_target(const BundledOptions& options) {
  auto target = BundledTarget::create(options);
  REQUIRE(target);
  return std::move(*target);
}

template <typename F>
std::chrono::milliseconds time_of(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

// The port of "http://127.0.0.1:PORT".
std::uint16_t port_of(const std::string& url) {
  return static_cast<std::uint16_t>(std::stoi(url.substr(url.rfind(':') + 1)));
}

// Whether some connection to 127.0.0.1:`port` holds bytes the server has not read yet
// (/proc/net/tcp: "sl local_address rem_address st tx_queue:rx_queue ...", addresses in hex).
bool unread_bytes_at(std::uint16_t port) {
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // the header
  char local[32];
  std::snprintf(local, sizeof(local), "0100007F:%04X", port);
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local_address, remote_address, state, queues;
    fields >> slot >> local_address >> remote_address >> state >> queues;
    if (local_address != local || state != "01") continue;  // 01: established
    if (std::stoul(queues.substr(queues.find(':') + 1), nullptr, 16) > 0) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a Paxos cluster serves, fails over a kill and a pause, restarts with its data and stops clean") {
  testing::TempDir dir;
  auto target = make_target(paxos_cluster(dir.path()));
  auto started = target->start_all();
  INFO((started ? "" : started.error().message));
  REQUIRE(started);
  CHECK(target->node_ids() == std::vector<std::string>{"n1", "n2", "n3"});
  for (const std::string& node : target->node_ids()) CHECK(target->is_running(node));

  auto c1 = target->client("n1");
  auto c2 = target->client("n2");
  auto c3 = target->client("n3");
  CHECK(c1->write("k", 1).type == OpType::ok);
  ClientOutcome read = c2->read("k");
  CHECK(read.type == OpType::ok);
  CHECK(read.value == 1);
  CHECK(c3->cas("k", 1, 2).type == OpType::ok);
  const ClientOutcome refused = c3->cas("k", 1, 3);
  CHECK(refused.type == OpType::fail);
  CHECK(refused.error.starts_with("HTTP 409"));
  CHECK(c2->read("absent").value.is_null());

  SECTION("kill: the node's client fails at once, the others serve; restart brings it back") {
    target->kill("n3");
    CHECK_FALSE(target->is_running("n3"));
    ClientOutcome dead;
    const auto took = time_of([&] { dead = c3->write("k", 9); });
    CHECK(dead.type == OpType::fail);
    CHECK(dead.error.starts_with("not sent"));
    CHECK(took < 900ms);  // refused at once, long before the request timeout
    read = c1->read("k");
    CHECK(read.type == OpType::ok);
    CHECK(read.value == 2);

    REQUIRE(target->restart("n3"));
    CHECK(target->is_running("n3"));
    read = c3->read("k");
    CHECK(read.type == OpType::ok);
    CHECK(read.value == 2);
    CHECK_FALSE(target->restart("n3"));  // still running
  }

  SECTION("kill every node: after restarts the data is still there") {
    for (const std::string& node : target->node_ids()) target->kill(node);
    for (const std::string& node : target->node_ids()) REQUIRE(target->restart(node));
    read = c1->read("k");
    CHECK(read.type == OpType::ok);
    CHECK(read.value == 2);
  }

  SECTION("a request in flight when its node is killed is info") {
    // Sent on the kept-alive connection and waiting unread in the paused node's socket; the
    // kill resets the connection. (Had curl resent it on a new connection and been refused,
    // it would still be info: the bytes of the first attempt count, see http_connection.h.)
    // A patient client on a kept-alive connection: on a loaded machine the watcher below may
    // not run for a while, and the request must still be waiting when it looks.
    constexpr std::int64_t patient_timeout_ms = 60'000;
    HttpKvClient patient(target->base_url("n2"), patient_timeout_ms);
    REQUIRE(patient.read("k").type == OpType::ok);
    target->pause("n2");
    ClientOutcome in_flight;
    std::thread writer([&] { in_flight = patient.write("k", 7); });
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!unread_bytes_at(port_of(target->base_url("n2"))) && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(5ms);
    const bool sent = unread_bytes_at(port_of(target->base_url("n2")));
    target->kill("n2");
    writer.join();
    REQUIRE(sent);
    INFO(in_flight.error);
    CHECK(in_flight.type == OpType::info);
    CHECK(c2->read("k").type == OpType::fail);  // now nothing is sent: refused
    REQUIRE(target->restart("n2"));
  }

  SECTION("pause: a request to the node times out as info; after resume it serves again") {
    target->pause("n2");
    CHECK(target->is_running("n2"));  // paused is not dead
    // On the kept-alive connection, and on a new one (the kernel still accepts connections
    // for a stopped process, so the request is sent and may be applied after resume).
    ClientOutcome stuck;
    const auto took = time_of([&] { stuck = c2->write("k", 5); });
    CHECK(stuck.type == OpType::info);
    CHECK(stuck.error.starts_with("no answer"));
    CHECK(took >= 900ms);
    CHECK(took < 3s);
    CHECK(target->client("n2")->read("k").type == OpType::info);
    // A majority is still up.
    CHECK(c1->read("k").type == OpType::ok);

    target->resume("n2");
    read = c2->read("k");
    CHECK(read.type == OpType::ok);
    CHECK((read.value == 2 || read.value == 5));
  }

  std::vector<pid_t> pids;
  for (const std::string& node : target->node_ids()) {
    const auto pid = target->process_id(node);
    REQUIRE(pid);
    pids.push_back(*pid);
  }
  target->pause("n1");  // stop_all must end a paused node too
  target->stop_all();
  for (pid_t pid : pids) CHECK_FALSE(testing::process_exists(pid));
  for (const std::string& node : target->node_ids()) CHECK_FALSE(target->is_running(node));
  target->stop_all();  // idempotent
}

TEST_CASE("the description names the protocol and every node's address") {
  testing::TempDir dir;
  BundledOptions options = paxos_cluster(dir.path());
  options.protocol = "quorum";
  options.read_repair = "off";
  auto target = make_target(options);
  REQUIRE(target->start_all());
  const nlohmann::json description = target->describe();
  CHECK(description["protocol"] == "quorum");
  CHECK(description["read_repair"] == "off");
  CHECK_FALSE(description.value("version", "").empty());  // faultline-node's, shown with the target
  CHECK(description["nodes"].size() == 3);
  CHECK(description["nodes"][0]["address"] == target->base_url("n1").substr(7));
  CHECK(target->client("n1")->write("k", 1).type == OpType::ok);
}

TEST_CASE("bad options are refused before anything starts") {
  testing::TempDir dir;
  BundledOptions options = paxos_cluster(dir.path());
  options.nodes = 0;
  const auto target = BundledTarget::create(options);
  REQUIRE_FALSE(target);
  CHECK(target.error().message == "--nodes 0: the bundled cluster has 1 to 9 nodes");
}

TEST_CASE("a binary that cannot run is an error naming it") {
  testing::TempDir dir;
  BundledOptions options = paxos_cluster(dir.path());
  options.node_binary = dir.path() / "missing-node";
  auto target = make_target(options);
  const auto started = target->start_all();
  REQUIRE_FALSE(started);
  CHECK(started.error().message.starts_with("node n1: cannot execute " + options.node_binary.string()));
}

TEST_CASE("a node that exits at once is named, with its exit and its log") {
  testing::TempDir dir;
  BundledOptions options = paxos_cluster(dir.path());
  std::filesystem::create_directories(dir.path() / "data");
  // n2's data directory is a file: the node refuses to start (exit code 3).
  { std::ofstream(dir.path() / "data" / "n2") << "not a directory"; }
  auto target = make_target(options);
  const auto started = target->start_all();
  REQUIRE_FALSE(started);
  const std::string& message = started.error().message;
  INFO(message);
  CHECK(message.starts_with("node n2 exited before it answered GET /health (process exited with code 3); log " +
                            (dir.path() / "nodes" / "n2.log").string() + " ends with:\n"));
  CHECK(message.find("--- faultline: starting") != std::string::npos);
  // Nothing is left running.
  for (const std::string& node : target->node_ids()) CHECK_FALSE(target->is_running(node));
}

TEST_CASE("a port that is taken is reported, not retried, when the user chose the ports") {
  testing::TempDir dir;
  const int holder = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  REQUIRE(::bind(holder, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  REQUIRE(::listen(holder, 1) == 0);
  REQUIRE(::getsockname(holder, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  BundledOptions options = paxos_cluster(dir.path());
  options.nodes = 1;
  options.ports = {ntohs(address.sin_port)};
  auto target = make_target(options);
  const auto started = target->start_all();
  ::close(holder);
  REQUIRE_FALSE(started);
  INFO(started.error().message);
  CHECK(started.error().message.starts_with(
      "node n1 exited before it answered GET /health (process exited with code 4)"));
}
