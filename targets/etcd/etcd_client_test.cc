// EtcdKvClient against one real etcd 3.4 (/usr/bin/etcd) on loopback: an absent key reads null,
// a write is read back, a cas applies only when the value matches, serializable reads see a
// committed write, and a request to a port where nothing listens is a fail.
// Without etcd the case exits with skipped_exit_code, which ctest reports as skipped.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <unistd.h>

#include <catch2/catch.hpp>

#include "skip_test.h"

#include "adapter_limits.h"
#include "etcd_kv_client.h"
#include "loopback_ports.h"
#include "node_process.h"
#include "test_support.h"

using namespace faultline;

namespace {

const std::filesystem::path etcd_binary = "/usr/bin/etcd";

void skip_without_etcd() {
  if (::access(etcd_binary.c_str(), X_OK) == 0) return;
  skip_test(etcd_binary.string() + " is not installed (Debian: apt-get install etcd-server): "
            "the etcd client was not tested against etcd.");
}

std::string loopback_url(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

// One etcd member that is its own cluster, in a temporary directory removed afterwards.
struct SingleEtcd {
  testing::TempDir directory;
  std::string client_url;
  std::unique_ptr<NodeProcess> process;

  SingleEtcd() {
    const auto ports = choose_free_loopback_ports(2);
    REQUIRE(ports.has_value());
    client_url = loopback_url((*ports)[0]);
    const std::string peer_url = loopback_url((*ports)[1]);
    process = std::make_unique<NodeProcess>(ProcessSpec{
        etcd_binary,
        {"--name", "e1", "--data-dir", (directory.path() / "data").string(), "--listen-client-urls", client_url,
         "--advertise-client-urls", client_url, "--listen-peer-urls", peer_url, "--initial-advertise-peer-urls",
         peer_url, "--initial-cluster", "e1=" + peer_url, "--initial-cluster-state", "new"},
        directory.path() / "etcd.log"});
    const auto started = process->start();
    REQUIRE(started.has_value());
    wait_until_healthy();
  }
  ~SingleEtcd() { process->terminate(std::chrono::milliseconds(node_stop_grace_ms)); }

  // Polls GET /health until it answers {"health":"true"}, bounded by node_start_timeout_ms.
  void wait_until_healthy() {
    HttpConnection health(client_url, health_request_timeout_ms, health_request_timeout_ms);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(node_start_timeout_ms);
    std::string last_answer = "none";
    while (std::chrono::steady_clock::now() < deadline) {
      INFO("etcd's log:\n" << process->log_tail(log_tail_bytes_max));
      REQUIRE(process->is_running());
      const HttpExchange exchange = health.request("GET", "/health");
      if (exchange.delivery == Delivery::answered) {
        const auto body = nlohmann::json::parse(exchange.body, nullptr, false);
        if (exchange.status == 200 && body.is_object() && body.value("health", "") == "true") return;
        last_answer = "HTTP " + std::to_string(exchange.status) + ": " + exchange.body;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(health_poll_interval_ms));
    }
    FAIL("etcd not healthy within " << node_start_timeout_ms << " ms; last answer " << last_answer << "\nlog:\n"
                                    << process->log_tail(log_tail_bytes_max));
  }
};

void check_outcome(const ClientOutcome& outcome, OpType type, const nlohmann::json& value = nullptr) {
  INFO("error: " << outcome.error);
  CHECK(outcome.type == type);
  CHECK(outcome.value == value);
}

}  // namespace

TEST_CASE("a real etcd: read absent, write, read, cas that matches and one that does not") {
  skip_without_etcd();
  SingleEtcd etcd;
  EtcdKvClient client(etcd.client_url, false);

  check_outcome(client.read("r1"), OpType::ok, nullptr);
  check_outcome(client.cas("r1", 3, 5), OpType::fail);  // an absent key fails the compare
  check_outcome(client.write("r1", 3), OpType::ok);
  check_outcome(client.read("r1"), OpType::ok, 3);
  check_outcome(client.cas("r1", 3, 4), OpType::ok);
  check_outcome(client.cas("r1", 3, 5), OpType::fail);
  check_outcome(client.read("r1"), OpType::ok, 4);

  EtcdKvClient serializable(etcd.client_url, true);
  check_outcome(serializable.read("r1"), OpType::ok, 4);
  check_outcome(serializable.read("r2"), OpType::ok, nullptr);
}

TEST_CASE("a request to a port where no etcd listens is a fail: it was never sent") {
  skip_without_etcd();
  const auto ports = choose_free_loopback_ports(1);
  REQUIRE(ports.has_value());
  EtcdKvClient client(loopback_url((*ports)[0]), false);
  const ClientOutcome write = client.write("r1", 3);
  CHECK(write.type == OpType::fail);
  CHECK(write.error.starts_with("not sent: "));
}
