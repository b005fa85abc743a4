// End-to-end: real faultline-node processes on free loopback ports. Read/write/cas over HTTP,
// kill -9 during writes and restart (nothing acknowledged may be lost), malformed requests,
// bad flags, a port in use, a corrupt data directory.
#include <catch2/catch.hpp>

#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "../node/limits.h"
#include "node_process.h"
#include "temp_dir.h"

using namespace faultline::testing;
using nlohmann::json;

namespace {

constexpr std::int64_t progress_deadline_ms = 20'000;
constexpr std::int64_t retry_pause_ms = 10;  // a writer's pause after a failed request

class Cluster {
 public:
  explicit Cluster(std::size_t size, std::vector<std::string> extra = {}) {
    while (ports_.size() < size) {
      const std::uint16_t port = free_port();
      if (std::find(ports_.begin(), ports_.end(), port) == ports_.end()) ports_.push_back(port);
    }
    for (std::size_t i = 0; i < size; ++i) {
      std::vector<std::string> args{"--id", id(i), "--listen", "127.0.0.1:" + std::to_string(ports_[i]), "--data-dir",
                                    data_dir(i).string()};
      for (std::size_t j = 0; j < size; ++j)
        if (j != i) args.insert(args.end(), {"--peer", id(j) + "=127.0.0.1:" + std::to_string(ports_[j])});
      args.insert(args.end(), extra.begin(), extra.end());
      nodes_.push_back(std::make_unique<NodeProcess>(args, ports_[i], dir_.path() / (id(i) + ".log")));
    }
  }
  static std::string id(std::size_t i) { return "n" + std::to_string(i + 1); }
  std::filesystem::path data_dir(std::size_t i) const { return dir_.path() / id(i); }
  NodeProcess& node(std::size_t i) { return *nodes_[i]; }
  std::size_t size() const { return nodes_.size(); }

  // Starts node i and waits for its /health; false (with the log in `failures`) when it never answers.
  bool start(std::size_t i) {
    nodes_[i]->start();
    if (nodes_[i]->wait_healthy()) return true;
    failures_ += id(i) + " never became healthy; its log:\n" + nodes_[i]->log() + "\n";
    return false;
  }
  bool start_all() {
    for (auto& node : nodes_) node->start();
    bool all = true;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i]->wait_healthy()) continue;
      failures_ += id(i) + " never became healthy; its log:\n" + nodes_[i]->log() + "\n";
      all = false;
    }
    return all;
  }
  const std::string& failures() const { return failures_; }

 private:
  TempDir dir_;
  std::vector<std::uint16_t> ports_;
  std::vector<std::unique_ptr<NodeProcess>> nodes_;
  std::string failures_;
};

#define REQUIRE_STARTED(cluster, started) \
  do {                                     \
    INFO((cluster).failures());            \
    REQUIRE(started);                      \
  } while (false)

json body_of(const HttpReply& reply) { return json::parse(reply.body, nullptr, false); }

}  // namespace

TEST_CASE("integration: three Paxos nodes serve read, write and cas", "[integration]") {
  Cluster cluster(3);
  REQUIRE_STARTED(cluster, cluster.start_all());
  const std::string n1 = cluster.node(0).url(), n2 = cluster.node(1).url(), n3 = cluster.node(2).url();
  CHECK(body_of(http("GET", n1 + "/kv/x")) == json{{"value", nullptr}});
  CHECK(http("PUT", n1 + "/kv/x", R"({"value": 5})").status == 200);
  CHECK(body_of(http("GET", n2 + "/kv/x")) == json{{"value", 5}});
  HttpReply mismatch = http("POST", n3 + "/kv/x/cas", R"({"from": 4, "to": 6})");
  CHECK(mismatch.status == 409);
  CHECK(body_of(mismatch)["definite"] == true);
  CHECK(http("POST", n3 + "/kv/x/cas", R"({"from": 5, "to": {"a": [1, 2]}})").status == 200);
  CHECK(body_of(http("GET", n1 + "/kv/x")) == json{{"value", {{"a", {1, 2}}}}});
  const json status = body_of(http("GET", n1 + "/status"));
  CHECK(status["role"] == "proposer, acceptor, learner");
  CHECK(status["keys"]["x"].contains("promised"));
}

TEST_CASE("integration: nodes forward to the leader, and another takes over while it is down", "[integration]") {
  Cluster cluster(3);
  REQUIRE_STARTED(cluster, cluster.start_all());
  const std::string n1 = cluster.node(0).url(), n2 = cluster.node(1).url(), n3 = cluster.node(2).url();
  auto counter = [](const std::string& url, const char* name) {
    const json status = body_of(http("GET", url + "/status"));
    return status.is_object() ? status["counters"][name].get<std::uint64_t>() : 0;
  };
  REQUIRE(http("PUT", n2 + "/kv/x", R"({"value": 1})").status == 200);
  CHECK(counter(n2, "operations_forwarded") == 1);
  CHECK(counter(n2, "operations_ok") == 0);  // n1 proposed it
  CHECK(counter(n1, "operations_ok") == 1);
  CHECK(body_of(http("GET", n3 + "/kv/x")) == json{{"value", 1}});
  // n1 held the key's promise from the write: the read was confirmed, nothing written for it.
  CHECK(counter(n1, "confirmed_read_batches") == 1);

  // n1 down: its connections are refused, so nothing was sent and n2 proposes (n3 via n2).
  cluster.node(0).kill_9();
  REQUIRE(http("PUT", n3 + "/kv/x", R"({"value": 2})").status == 200);
  CHECK(counter(n2, "operations_ok") == 1);
  CHECK(body_of(http("GET", n2 + "/kv/x")) == json{{"value", 2}});

  // n1 back: once its suspicion runs out, the others forward to it again.
  REQUIRE_STARTED(cluster, cluster.start(0));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(progress_deadline_ms);
  long value = 3;
  while (counter(n1, "operations_ok") == 0 && std::chrono::steady_clock::now() < deadline) {
    REQUIRE(http("PUT", n3 + "/kv/x", json{{"value", value}}.dump()).status == 200);
    ++value;
  }
  CHECK(counter(n1, "operations_ok") > 0);
  CHECK(body_of(http("GET", n1 + "/kv/x")) == json{{"value", value - 1}});
}

TEST_CASE("integration: concurrent operations on one key share consensus instances", "[integration]") {
  Cluster cluster(3);
  REQUIRE_STARTED(cluster, cluster.start_all());
  const std::string leader = cluster.node(0).url();
  constexpr int writers = 12, writes_each = 30;
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      const std::string url = cluster.node(static_cast<std::size_t>(w) % cluster.size()).url();
      for (int i = 0; i < writes_each; ++i)
        if (http("PUT", url + "/kv/one", json{{"value", w * 1000 + i}}.dump()).status == 200) ++acknowledged;
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(acknowledged == writers * writes_each);
  const json status = body_of(http("GET", leader + "/status"));
  INFO(status.dump());
  // Fewer instances than operations: writes that waited went together.
  CHECK(status["counters"]["batched_operations"].get<int>() > 0);
  CHECK(status["counters"]["batches"].get<int>() < writers * writes_each);
  // The last value of the key is the last write of some writer.
  const json last = body_of(http("GET", leader + "/kv/one"))["value"];
  REQUIRE(last.is_number_integer());
  CHECK(last.get<int>() % 1000 == writes_each - 1);
}

TEST_CASE("integration: kill -9 during writes loses nothing acknowledged", "[integration]") {
  Cluster cluster(3);
  REQUIRE_STARTED(cluster, cluster.start_all());
  constexpr int writers = 3;
  std::mutex mutex;
  std::vector<long> acked(writers, 0), attempted(writers, 0);
  std::atomic<long> acked_total{0};
  std::atomic<bool> stop{false};
  std::vector<std::string> urls;
  for (std::size_t i = 0; i < cluster.size(); ++i) urls.push_back(cluster.node(i).url());

  std::vector<std::thread> threads;
  for (int w = 0; w < writers; ++w) {
    threads.emplace_back([&, w] {
      for (long value = 1; !stop; ++value) {
        {
          std::lock_guard lock(mutex);
          attempted[w] = value;
        }
        const std::string& url = urls[static_cast<std::size_t>(value + w) % urls.size()];
        // Waiting as long as a node may work on an operation: no write lingers in a live node
        // after its writer moved on, so the last acknowledged value bounds what a read may see.
        HttpReply reply = http("PUT", url + "/kv/w" + std::to_string(w), json{{"value", value}}.dump(),
                               faultline::node::client_timeout_hint_ms);
        if (reply.status == 200) {
          std::lock_guard lock(mutex);
          acked[w] = value;
          ++acked_total;
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(retry_pause_ms));
        }
      }
    });
  }
  auto wait_for_acks = [&](long target) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(progress_deadline_ms);
    while (acked_total < target && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(retry_pause_ms));
    return acked_total >= target;
  };

  // No REQUIRE while the writers run: a throw would skip their join.
  bool progressed = wait_for_acks(30);
  cluster.node(1).kill_9();
  progressed = progressed && wait_for_acks(60);  // a majority is still up
  bool restarted = cluster.start(1);
  progressed = progressed && wait_for_acks(90);
  for (std::size_t i = 0; i < cluster.size(); ++i) cluster.node(i).kill_9();  // every node at once
  restarted = cluster.start_all() && restarted;
  progressed = progressed && wait_for_acks(120);
  stop = true;
  for (auto& thread : threads) thread.join();
  REQUIRE_STARTED(cluster, restarted);
  INFO("acknowledged writes: " << acked_total);
  REQUIRE(progressed);

  for (int w = 0; w < writers; ++w) {
    for (std::size_t i = 0; i < cluster.size(); ++i) {
      HttpReply reply = http("GET", urls[i] + "/kv/w" + std::to_string(w));
      REQUIRE(reply.status == 200);
      const long value = body_of(reply)["value"].get<long>();
      INFO("writer " << w << " via " << Cluster::id(i) << ": read " << value << ", last acknowledged " << acked[w]
                     << ", last attempted " << attempted[w]);
      CHECK(value >= acked[w]);
      CHECK(value <= attempted[w]);
    }
  }
}

TEST_CASE("integration: malformed requests get 400 and the node stays up", "[integration]") {
  Cluster cluster(1);
  REQUIRE_STARTED(cluster, cluster.start_all());
  const std::string url = cluster.node(0).url();
  for (const auto& [method, path, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"PUT", "/kv/x", "not json"},
           {"PUT", "/kv/x", R"([1, 2])"},
           {"PUT", "/kv/x", R"({"val": 1})"},
           {"POST", "/kv/x/cas", R"({"from": 1})"},
           {"POST", "/kv/x/cas", "{"},
           {"PUT", "/kv/" + std::string(300, 'k'), R"({"value": 1})"},
           {"POST", "/admin/clock", R"({"offset_ms": "soon"})"},
           {"POST", "/internal/paxos", R"({"type": "prepare", "key": "x", "ballot": [-1, 0]})"},
           {"POST", "/internal/paxos", R"({"type": "nonsense"})"},
       }) {
    HttpReply reply = http(method, url + path, body);
    INFO(method << " " << path << " " << body << " -> " << reply.status << " " << reply.body);
    CHECK(reply.status == 400);
    CHECK(body_of(reply).contains("error"));
  }
  CHECK(http("DELETE", url + "/kv/x").status == 404);
  CHECK(http("GET", url + "/health").status == 200);
  CHECK(http("PUT", url + "/kv/x", R"({"value": 1})").status == 200);
}

TEST_CASE("integration: wrong flags exit 2 with a clear message", "[integration]") {
  const std::string data = "/tmp/faultline-node-never-created";
  for (const auto& [args, expected] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--listen", "127.0.0.1:1", "--data-dir", data}, "--id is required"},
           {{"--id", "n1", "--listen", "127.0.0.1:99999", "--data-dir", data}, "port must be a number from 1 to 65535"},
           {{"--id", "n1", "--listen", "10.1.2.3:8000", "--data-dir", data}, "not a loopback address"},
           {{"--id", "n1", "--listen", "127.0.0.1:8000", "--peer", "n2", "--data-dir", data}, "expected ID=HOST:PORT"},
           {{"--id", "n1", "--listen", "127.0.0.1:8000", "--peer", "n1=127.0.0.1:8001", "--data-dir", data},
            "appears twice"},
           {{"--id", "n1", "--listen", "127.0.0.1:8000", "--protocol", "quorum", "--write-quorum", "4", "--data-dir", data},
            "larger than the cluster"},
           {{"--id", "n1", "--listen", "127.0.0.1:8000", "--bug", "no-such-bug", "--data-dir", data}, "unknown bug"},
           {{"--id", "n1", "--listen", "127.0.0.1:8000", "--protocol", "raft", "--data-dir", data}, "--protocol"},
       }) {
    ProcessExit exit = run_node_to_exit(args);
    INFO(exit.output);
    CHECK(exit.exit_code == 2);
    CHECK_THAT(exit.output, Catch::Contains(expected));
  }
  CHECK_FALSE(std::filesystem::exists(data));
  ProcessExit help = run_node_to_exit({"--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.output, Catch::Contains("--read-repair"));
  CHECK_THAT(help.output, Catch::Contains("paxos-reply-before-persist"));
}

TEST_CASE("integration: a port in use exits 4 naming the address", "[integration]") {
  TempDir dir;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  const std::string listen = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  ProcessExit exit = run_node_to_exit({"--id", "n1", "--listen", listen, "--data-dir", (dir.path() / "d").string()});
  ::close(fd);
  INFO(exit.output);
  CHECK(exit.exit_code == 4);
  CHECK_THAT(exit.output, Catch::Contains("cannot listen on " + listen + ": Address already in use"));
}

TEST_CASE("integration: a torn last record is dropped, other damage leaves a node that neither votes nor serves",
          "[integration]") {
  Cluster cluster(1);
  REQUIRE_STARTED(cluster, cluster.start_all());
  const std::string url = cluster.node(0).url();
  REQUIRE(http("PUT", url + "/kv/a", R"({"value": 1})").status == 200);
  REQUIRE(http("PUT", url + "/kv/b", R"({"value": 2})").status == 200);
  cluster.node(0).kill_9();
  const std::filesystem::path log = cluster.data_dir(0) / "acceptor.log";

  {
    std::ofstream torn(log, std::ios::binary | std::ios::app);
    torn << std::string("\x40\x00\x00\x00\x01\x02", 6);  // a header promising 64 bytes that never came
  }
  REQUIRE_STARTED(cluster, cluster.start(0));
  CHECK(body_of(http("GET", url + "/kv/b")) == json{{"value", 2}});
  CHECK(body_of(http("GET", url + "/status"))["storage"]["discarded_tail_bytes"] == 6);
  CHECK(body_of(http("GET", url + "/status"))["state_lost"].is_null());
  cluster.node(0).kill_9();

  // A flipped byte inside an acknowledged record: state was lost. The node starts (so a
  // harness's restart succeeds) but, as a node that crashed for good, answers no operation.
  {
    std::fstream damage(log, std::ios::binary | std::ios::in | std::ios::out);
    damage.seekp(12);  // inside the first record's payload
    damage.put('#');
  }
  REQUIRE_STARTED(cluster, cluster.start(0));
  const json status = body_of(http("GET", url + "/status"));
  INFO(status.dump());
  CHECK(status["state_lost"].dump().find("checksum mismatch") != std::string::npos);
  CHECK(http("PUT", url + "/kv/a", R"({"value": 3})").status != 200);
  CHECK(http("GET", url + "/kv/b").status != 200);
  cluster.node(0).kill_9();

  std::vector<std::string> args{"--id", "n1", "--listen", "127.0.0.1:" + std::to_string(cluster.node(0).port()),
                                "--data-dir", cluster.data_dir(0).string()};
  std::ofstream(cluster.data_dir(0) / "not-a-dir") << "x";
  args.back() = (cluster.data_dir(0) / "not-a-dir").string();
  const ProcessExit exit = run_node_to_exit(args);
  INFO(exit.output);
  CHECK(exit.exit_code == 3);
  CHECK_THAT(exit.output, Catch::Contains("cannot create data directory"));
}

TEST_CASE("integration: three quorum nodes serve read and write, and the clock offset is settable", "[integration]") {
  Cluster cluster(3, {"--protocol", "quorum", "--read-repair", "sync", "--timestamps", "wallclock"});
  REQUIRE_STARTED(cluster, cluster.start_all());
  const std::string n1 = cluster.node(0).url(), n2 = cluster.node(1).url();
  CHECK(http("PUT", n1 + "/kv/q", R"({"value": "a"})").status == 200);
  CHECK(body_of(http("GET", n2 + "/kv/q")) == json{{"value", "a"}});
  CHECK(http("POST", n2 + "/admin/clock", R"({"offset_ms": -60000})").status == 200);
  // n2's clock is now a minute behind: its write loses to n1's older one (lost update).
  CHECK(http("PUT", n2 + "/kv/q", R"({"value": "b"})").status == 200);
  CHECK(body_of(http("GET", n1 + "/kv/q")) == json{{"value", "a"}});
  const json status = body_of(http("GET", n2 + "/status"));
  CHECK(status["clock_offset_ms"] == -60000);
  CHECK(status["read_repair"] == "sync");
}

TEST_CASE("integration: the planted bug paxos-reply-before-persist loses acknowledged writes to kill -9",
          "[integration][bugs]") {
  // The buggy acceptor writes its state ~100 ms after replying; killing every node right after
  // an acknowledged write loses it. Tried a few times, in case a kill comes late on a busy machine.
  Cluster cluster(3, {"--bug", "paxos-reply-before-persist"});
  REQUIRE_STARTED(cluster, cluster.start_all());
  bool lost = false;
  for (int attempt = 1; attempt <= 3 && !lost; ++attempt) {
    REQUIRE(http("PUT", cluster.node(0).url() + "/kv/x", json{{"value", attempt}}.dump()).status == 200);
    for (std::size_t i = 0; i < cluster.size(); ++i) cluster.node(i).kill_9();
    REQUIRE_STARTED(cluster, cluster.start_all());
    const json read = body_of(http("GET", cluster.node(1).url() + "/kv/x"));
    INFO("attempt " << attempt << " read " << read.dump());
    lost = read["value"] != attempt;
  }
  CHECK(lost);
}
