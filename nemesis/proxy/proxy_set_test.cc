// The link proxies over real sockets on loopback: an echo server behind a proxied link, cut,
// healed, delayed. Every wait is bounded; a request during a cut waits a client timeout.
#include "proxy_set.h"

#include <catch2/catch.hpp>

#include "proxy_test_support.h"

using namespace faultline::proxy;
using namespace faultline::proxy::testing;

namespace {

// How long a client waits for an answer that must not come (the "cut" checks).
constexpr std::int64_t client_timeout_ms = 300;
// How long an answer that must come may take: generous, the machine may be loaded.
constexpr std::int64_t answer_deadline_ms = 3'000;

std::unique_ptr<ProxySet> proxies_to(const EchoServer& server, std::uint64_t seed = 1) {
  // Both nodes are the echo server: a reaches "b" through P(a->b), b reaches "a" through P(b->a).
  auto proxies = ProxySet::start({{"a", server.port()}, {"b", server.port()}}, seed);
  REQUIRE(proxies);
  return std::move(*proxies);
}

LinkState cut() {
  LinkState state;
  state.cut = true;
  return state;
}

std::int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

TEST_CASE("an open link forwards both ways, with TCP_NODELAY on every socket") {
  EchoServer server;
  auto proxies = proxies_to(server);
  Client client(proxies->listen_port("a", "b"));
  CHECK(client.request("ping", answer_deadline_ms) == "ping");
  CHECK(client.request(std::string(100'000, 'x'), answer_deadline_ms) == std::string(100'000, 'x'));
  const ProxyStatistics statistics = proxies->statistics();
  CHECK(statistics.connections_accepted == 1);
  CHECK(statistics.connections_established == 1);
  CHECK(statistics.bytes_delivered == 2 * 100'004);
  CHECK(statistics.sockets_without_nodelay == 0);
  CHECK(proxies->listen_port("a", "b") != proxies->listen_port("b", "a"));
  CHECK(proxies->listen_address("b", "a") == "127.0.0.1:" + std::to_string(proxies->listen_port("b", "a")));
}

TEST_CASE("a connection made during a cut never reaches the peer, on heal it does") {
  EchoServer server;
  auto proxies = proxies_to(server);
  REQUIRE(proxies->set_link_state("a", "b", cut()) == "");
  CHECK(proxies->link_state("a", "b").cut);
  CHECK_FALSE(proxies->link_state("b", "a").cut);

  Client client(proxies->listen_port("a", "b"));  // accepted by the proxy, like any listener
  CHECK(client.request("ping", client_timeout_ms) == "");
  CHECK(server.connections_accepted() == 0);
  CHECK(server.bytes_received() == 0);

  // The other direction is a link of its own and still works.
  Client other(proxies->listen_port("b", "a"));
  CHECK(other.request("pong", client_timeout_ms) == "");  // b->a connections need a->b for the handshake
  CHECK(server.connections_accepted() == 0);

  const auto heal_started = std::chrono::steady_clock::now();
  proxies->heal_all();
  CHECK(elapsed_ms(heal_started) < 100);
  // What was sent during the cut is delivered once the link heals, as TCP would resend it.
  CHECK(client.receive(4, answer_deadline_ms) == "ping");
  CHECK(other.receive(4, answer_deadline_ms) == "pong");
  CHECK(client.request("again", answer_deadline_ms) == "again");
}

TEST_CASE("a client that gives up during a cut leaves nothing for the peer") {
  EchoServer server;
  auto proxies = proxies_to(server);
  REQUIRE(proxies->set_link_state("a", "b", cut()) == "");
  {
    Client client(proxies->listen_port("a", "b"));
    CHECK(client.request("lost", client_timeout_ms) == "");
  }
  REQUIRE(eventually([&] { return proxies->statistics().connections_open == 0; }, answer_deadline_ms));
  proxies->heal_all();
  Client client(proxies->listen_port("a", "b"));
  CHECK(client.request("fresh", answer_deadline_ms) == "fresh");
  CHECK(server.connections_accepted() == 1);
  CHECK(server.bytes_received() == 5);
}

TEST_CASE("an established connection stalls during a cut, bytes held, and resumes on heal") {
  EchoServer server;
  auto proxies = proxies_to(server);
  Client client(proxies->listen_port("a", "b"));
  REQUIRE(client.request("one", answer_deadline_ms) == "one");

  SECTION("cut a->b: the request is held in the proxy") {
    REQUIRE(proxies->set_link_state("a", "b", cut()) == "");
    CHECK(client.request("two", client_timeout_ms) == "");
    CHECK(server.bytes_received() == 3);
    proxies->heal_all();
    CHECK(client.receive(3, answer_deadline_ms) == "two");
    CHECK(server.bytes_received() == 6);
  }
  SECTION("cut b->a only: the request arrives, its answer is held") {
    REQUIRE(proxies->set_link_state("b", "a", cut()) == "");
    client.send("two");
    CHECK(server.wait_for_bytes(6, answer_deadline_ms));
    CHECK(client.receive(3, client_timeout_ms) == "");
    REQUIRE(proxies->set_link_state("b", "a", link_open) == "");
    CHECK(client.receive(3, answer_deadline_ms) == "two");
  }
  CHECK(client.request("three", answer_deadline_ms) == "three");
}

TEST_CASE("latency delays each direction by at least its link's setting") {
  EchoServer server;
  auto proxies = proxies_to(server);
  Client client(proxies->listen_port("a", "b"));
  REQUIRE(client.request("warm", answer_deadline_ms) == "warm");

  LinkState slow;
  slow.latency_ms = 60;
  REQUIRE(proxies->set_link_state("a", "b", slow) == "");
  auto started = std::chrono::steady_clock::now();
  CHECK(client.request("ping", answer_deadline_ms) == "ping");
  CHECK(elapsed_ms(started) >= 60);

  slow.latency_ms = 40;
  slow.jitter_ms = 10;
  REQUIRE(proxies->set_link_state("b", "a", slow) == "");
  started = std::chrono::steady_clock::now();
  CHECK(client.request("ping", answer_deadline_ms) == "ping");
  CHECK(elapsed_ms(started) >= 100);

  proxies->heal_all();
  CHECK(proxies->link_state("a", "b") == link_open);
}

TEST_CASE("loss delays chunks but loses no byte and keeps their order") {
  EchoServer server;
  auto proxies = proxies_to(server, 42);
  LinkState lossy;
  lossy.loss_probability = 0.3;
  REQUIRE(proxies->set_link_states({{"a", "b", lossy}, {"b", "a", lossy}}) == "");
  Client client(proxies->listen_port("a", "b"));
  for (int i = 0; i < 5; ++i) {
    const std::string message = "message " + std::to_string(i);
    CHECK(client.request(message, 30'000) == message);
  }
}

TEST_CASE("bad control calls are explained and change nothing") {
  EchoServer server;
  auto proxies = proxies_to(server);
  CHECK(proxies->set_link_state("a", "z", cut()) == "link a -> z: 'z' is not a proxied node");
  CHECK(proxies->set_link_state("a", "a", cut()) == "link a -> a: a node does not talk to itself through a proxy");
  LinkState bad;
  bad.loss_probability = 1;
  CHECK(proxies->set_link_states({{"a", "b", cut()}, {"b", "a", bad}}) ==
        "link b -> a: link loss probability 1.000000 must be at least 0 and below 1 (a link that loses "
        "everything is a cut)");
  CHECK_FALSE(proxies->link_state("a", "b").cut);
  bad = {};
  bad.latency_ms = -1;
  CHECK(validate_link_state(bad) == "link latency -1 ms and jitter 0 ms must each be from 0 to 60000 ms");

  const auto duplicate = ProxySet::start({{"a", 1}, {"a", 2}}, 1);
  REQUIRE_FALSE(duplicate);
  CHECK(duplicate.error() == "proxies: node a is given twice");
  const auto port_zero = ProxySet::start({{"a", 0}}, 1);
  REQUIRE_FALSE(port_zero);
  CHECK(port_zero.error() == "proxies: node a has port 0");
}

TEST_CASE("a peer that is down ends the client's connection") {
  std::uint16_t closed_port = 0;
  {
    EchoServer gone;
    closed_port = gone.port();
  }
  auto proxies = ProxySet::start({{"a", closed_port}, {"b", closed_port}}, 1);
  REQUIRE(proxies);
  Client client((*proxies)->listen_port("a", "b"));
  CHECK(client.request("ping", answer_deadline_ms) == "");
  CHECK(eventually([&] { return (*proxies)->statistics().connections_open == 0; }, answer_deadline_ms));
}
