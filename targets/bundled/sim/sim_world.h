// The world the deterministic simulations run the protocol cores in: simulated time, a
// network that delays, loses, duplicates and reorders messages between nodes (client links are
// only delayed, like TCP) and that the partitions of the network nemesis cut
// (nemesis/partition_planner.h), nodes that crash and restart, nodes that pause (SIGSTOP: what
// reaches them waits until they resume),
// and concurrent clients that record a faultline history exactly as real clients would
// (ok: a definite answer; fail: certainly not applied; info: unknown, e.g. a timeout).
//
// A protocol plugs in through SimProtocol; the world owns everything else. Everything random
// comes from SimConfig::seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../operation_result.h"
#include "../paxos/register_command.h"
#include "event_queue.h"
#include "history/op.h"
#include "random.h"

namespace faultline::sim {

struct SimConfig {
  std::uint64_t seed = 1;
  std::size_t nodes = 3;
  std::size_t clients = 4;
  int ops_per_client = 12;
  int keys = 1;
  int value_max = 4;
  bool cas = true;    // clients also issue cas (false: reads and writes only)  // writes and cas use values 0..value_max, so cas often succeeds
  int loss_percent = 5;
  int duplicate_percent = 5;
  std::int64_t network_delay_min_us = 50;
  std::int64_t network_delay_max_us = 3'000;
  bool crashes = true;
  std::int64_t crash_interval_max_us = 120'000;  // time between crashes: uniform up to this
  std::int64_t downtime_max_us = 30'000;
  std::int64_t client_think_max_us = 2'000;
  std::int64_t client_timeout_us = 150'000;
  // Partitions drawn as the network nemesis draws them, each healed after a while; at most one
  // at a time.
  bool partitions = false;
  std::int64_t partition_interval_max_us = 150'000;
  std::int64_t partition_max_us = 60'000;
  // Pauses: one node at a time stops; messages, client requests and timers for it wait.
  bool pauses = false;
  std::int64_t pause_interval_max_us = 150'000;
  std::int64_t pause_max_us = 40'000;
  // No drawn fault starts after this time (0: faults for as long as clients run).
  std::int64_t faults_end_us = 0;
  // Scripted partitions: `node` cut off from every other node, both ways, in [start_us, end_us).
  struct Isolation {
    std::size_t node = 0;
    std::int64_t start_us = 0;
    std::int64_t end_us = 0;
  };
  std::vector<Isolation> isolations;
  // The share of requests sent to node 0 rather than to a node picked at random: as when nodes
  // forward to a leader (Paxos --proposers leader), so that one node proposes most operations.
  int leader_percent = 0;
};

struct ClientRequest {
  std::uint64_t id = 0;
  std::string key;
  paxos::RegisterCommand command;
};

class SimWorld;

// A protocol under simulation: the adapters around its pure cores.
class SimProtocol {
 public:
  virtual ~SimProtocol() = default;
  // A client request reached `node` (which is up).
  virtual void on_client_request(std::size_t node, const ClientRequest& request) = 0;
  // `node` lost everything volatile.
  virtual void on_crash(std::size_t node) = 0;
  // `node` starts again from what it had persisted.
  virtual void on_restart(std::size_t node) = 0;
};

struct SimStats {
  std::size_t messages = 0;
  std::size_t crashes = 0;
  std::size_t partitions = 0;
  std::size_t pauses = 0;
  std::size_t messages_cut = 0;     // dropped by a partition
  std::int64_t last_heal_us = 0;    // when the last partition healed, pause ended or node restarted
  std::size_t client_timeouts = 0;  // info because no answer came in time
  std::size_t unknown_answers = 0;  // info because the node answered "outcome unknown"
  std::int64_t end_us = 0;
};

class SimWorld {
 public:
  explicit SimWorld(const SimConfig& config);

  const SimConfig& config() const { return config_; }
  std::int64_t now_us() const { return events_.now_us(); }
  Random& random() { return random_; }
  bool is_up(std::size_t node) const { return up_[node]; }
  // Whether a partition cuts the link from -> to now.
  bool is_cut(std::size_t from, std::size_t to) const { return cut_[from][to]; }

  // Sends a message from one node to another over the faulty network; `deliver` runs at the
  // destination, once per copy that arrives, if the destination is up then.
  void send(std::size_t from, std::size_t to, std::function<void()> deliver);
  // Sends a request or answer over a connection (HTTP over TCP, as a forward to the leader):
  // delayed, never lost at random nor duplicated, but a partition drops it (the connection
  // stalls).
  void send_over_connection(std::size_t from, std::size_t to, std::function<void()> deliver);
  // Runs `event` on `node` after `delay_us`, unless the node crashes first.
  void timer(std::size_t node, std::int64_t delay_us, std::function<void()> event);
  // `node` answers a client request.
  // The node's answer, as the node's front end would give it: ok; a failed compare or a
  // definite failure is fail; an indefinite one is info.
  void reply_to_client(std::size_t node, std::uint64_t request_id, const bundled::OperationResult& result);

  // Runs the clients to the end and returns the history they recorded.
  std::vector<Op> run(SimProtocol& protocol);
  const SimStats& stats() const { return stats_; }

 private:
  struct Client {
    std::int64_t process = 0;
    int remaining = 0;
    std::uint64_t outstanding = 0;  // request id; 0 when idle
    Op invocation;
  };
  void start_next_op(std::size_t client);
  void complete(std::size_t client, OpType type, const nlohmann::json& value);
  void schedule_crash();
  void schedule_partition();
  void schedule_pause();
  void start_partition(const std::vector<std::vector<bool>>& cut, std::int64_t duration_us);
  void heal(std::int64_t now_us);
  // Runs `event` on `node` now, or when it resumes if it is paused; nothing if it is down then.
  void run_on(std::size_t node, std::function<void()> event);
  bool faults_may_start() const;
  std::int64_t network_delay();
  bool clients_active() const;

  SimConfig config_;
  EventQueue events_;
  Random random_;
  SimProtocol* protocol_ = nullptr;
  std::vector<bool> up_;
  std::vector<std::vector<bool>> cut_;  // cut_[from][to]
  bool partitioned_ = false;
  std::vector<bool> paused_;
  std::vector<std::vector<std::function<void()>>> deferred_;  // per paused node, in arrival order
  std::mt19937_64 shapes_;  // the partition planner's draws
  std::vector<std::uint64_t> incarnation_;
  std::vector<Client> clients_;
  std::vector<Op> ops_;
  std::uint64_t next_request_ = 1;
  SimStats stats_;
};

// "read", "write", "cas" and the value a history records for the command's invocation.
std::string command_f(const paxos::RegisterCommand& command);
nlohmann::json command_value(const paxos::RegisterCommand& command);

}  // namespace faultline::sim
