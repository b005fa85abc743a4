// The netns backend on this machine's kernel: real namespaces, veths, a bridge and iptables.
// Needs root; without it each of these cases is reported skipped (tests/skip_test.h).
#include "netns_network.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "skip_test.h"
#include "system_command.h"

using namespace faultline::netns;
using faultline::proxy::LinkChange;
using faultline::proxy::LinkState;

namespace {

bool namespace_exists(const std::string& name) { return std::filesystem::exists("/run/netns/" + name); }

// A TCP socket made inside the named namespace (this thread returns to its own).
int socket_in_namespace(const std::string& name) {
  const int target = open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
  const int own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  REQUIRE(target >= 0);
  REQUIRE(own >= 0);
  REQUIRE(setns(target, CLONE_NEWNET) == 0);
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(setns(own, CLONE_NEWNET) == 0);
  close(target);
  close(own);
  REQUIRE(fd >= 0);
  return fd;
}

// A listener on 0.0.0.0 inside the namespace; its port.
int listen_in_namespace(const std::string& name, std::uint16_t& port) {
  const int fd = socket_in_namespace(name);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(listen(fd, 16) == 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

// Whether a connection from inside `from_namespace` to ip:port completes within the patience.
bool connects(const std::string& from_namespace, const std::string& ip, std::uint16_t port) {
  constexpr int patience_ms = 400;
  const int fd = socket_in_namespace(from_namespace);
  fcntl(fd, F_SETFL, O_NONBLOCK);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  inet_pton(AF_INET, ip.c_str(), &address.sin_addr);
  bool connected = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  if (!connected && errno == EINPROGRESS) {
    pollfd waiting{fd, POLLOUT, 0};
    if (poll(&waiting, 1, patience_ms) == 1) {
      int error = 0;
      socklen_t length = sizeof error;
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
      connected = error == 0;
    }
  }
  close(fd);
  return connected;
}

}  // namespace

TEST_CASE("netns network: nodes reach each other across the bridge, a cut link drops, heal restores, "
          "and everything is removed at the end") {
  if (std::string reason = netns_unavailable_reason(); !reason.empty()) {
    faultline::skip_test("the netns backend cannot run here: " + reason);
  }
  NetnsLayout layout;
  {
    auto network = NetnsNetwork::create({"n1", "n2", "n3"});
    REQUIRE(network.has_value());
    layout = (*network)->layout();
    for (const NetnsNode& node : layout.nodes) CHECK(namespace_exists(node.namespace_name));
    CHECK(namespace_exists(layout.bridge_namespace));
    // The root namespace has no address and no route of the run's subnet.
    CHECK(run_command({"ip", "-4", "addr", "show"}).output.find("198.18.0.") == std::string::npos);
    CHECK(run_command({"ip", "route", "show", "198.18.0.0/24"}).output.empty());

    std::uint16_t port = 0;
    const int listener = listen_in_namespace(layout.nodes[1].namespace_name, port);
    CHECK(connects(layout.nodes[0].namespace_name, "198.18.0.2", port));
    CHECK(connects(layout.nodes[2].namespace_name, "198.18.0.2", port));

    LinkState cut;
    cut.cut = true;
    REQUIRE((*network)->set_link_states({{"n1", "n2", cut}}) == "");
    CHECK_FALSE(connects(layout.nodes[0].namespace_name, "198.18.0.2", port));
    CHECK(connects(layout.nodes[2].namespace_name, "198.18.0.2", port));  // only n1 -> n2 is cut
    // The node's own loopback, the clients' path, is untouched by partitions.
    CHECK(connects(layout.nodes[1].namespace_name, "127.0.0.1", port));

    (*network)->heal_all();
    CHECK(connects(layout.nodes[0].namespace_name, "198.18.0.2", port));

    LinkState slow;
    slow.latency_ms = 10;
    CHECK_THAT((*network)->set_link_states({{"n1", "n2", slow}}), Catch::Contains("--network proxy"));
    CHECK_THAT((*network)->set_link_states({{"n1", "n9", cut}}), Catch::Contains("no such node"));
    close(listener);
  }
  for (const NetnsNode& node : layout.nodes) CHECK_FALSE(namespace_exists(node.namespace_name));
  CHECK_FALSE(namespace_exists(layout.bridge_namespace));
}

TEST_CASE("netns sweep: removes the namespaces of runs that died, keeps those of live runs and others") {
  if (std::string reason = netns_unavailable_reason(); !reason.empty()) {
    faultline::skip_test("the netns backend cannot run here: " + reason);
  }
  // A run that died: a child that has exited, so its pid names no process with that start time.
  const pid_t child = fork();
  if (child == 0) _exit(0);
  REQUIRE(child > 0);
  waitpid(child, nullptr, 0);
  const std::string dead = "faultline-" + run_tag(child, 1) + "-n1";
  const std::string live = "faultline-" + own_run_tag() + "-sweeptest";
  const std::string foreign = "faultline-sweeptest-not-ours";
  for (const std::string& name : {dead, live, foreign}) REQUIRE(run_command({"ip", "netns", "add", name}).ok());
  const SweepResult swept = sweep_leftover_namespaces();
  CHECK(std::find(swept.removed.begin(), swept.removed.end(), dead) != swept.removed.end());
  CHECK_FALSE(namespace_exists(dead));
  CHECK(namespace_exists(live));
  CHECK(namespace_exists(foreign));
  for (const std::string& name : {live, foreign}) run_command({"ip", "netns", "delete", name});
}
