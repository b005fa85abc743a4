#include "sim_world.h"

#include <string>

#include "partition_planner.h"

namespace faultline::sim {

std::string command_f(const paxos::RegisterCommand& command) {
  switch (command.kind) {
    case paxos::RegisterCommand::Kind::read: return "read";
    case paxos::RegisterCommand::Kind::write: return "write";
    case paxos::RegisterCommand::Kind::cas: return "cas";
    case paxos::RegisterCommand::Kind::txn: return "txn";
  }
  return "?";
}

nlohmann::json command_value(const paxos::RegisterCommand& command) {
  switch (command.kind) {
    case paxos::RegisterCommand::Kind::read: return nullptr;
    case paxos::RegisterCommand::Kind::write: return command.value;
    case paxos::RegisterCommand::Kind::cas: return nlohmann::json::array({command.from, command.to});
    case paxos::RegisterCommand::Kind::txn: return command.value;
  }
  return nullptr;
}

SimWorld::SimWorld(const SimConfig& config)
    : config_(config),
      random_(config.seed),
      up_(config.nodes, true),
      cut_(config.nodes, std::vector<bool>(config.nodes, false)),
      paused_(config.nodes, false),
      deferred_(config.nodes),
      shapes_(config.seed ^ 0x5eedULL),
      incarnation_(config.nodes, 0) {}

void SimWorld::run_on(std::size_t node, std::function<void()> event) {
  if (!up_[node]) return;
  if (paused_[node]) {
    deferred_[node].push_back(std::move(event));
    return;
  }
  event();
}

std::int64_t SimWorld::network_delay() {
  return random_.between(config_.network_delay_min_us, config_.network_delay_max_us);
}

void SimWorld::send(std::size_t from, std::size_t to, std::function<void()> deliver) {
  ++stats_.messages;
  if (from != to && cut_[from][to]) {
    ++stats_.messages_cut;
    return;
  }
  if (from != to && random_.percent(config_.loss_percent)) return;
  int copies = (from != to && random_.percent(config_.duplicate_percent)) ? 2 : 1;
  for (int i = 0; i < copies; ++i) {
    // Independent delays reorder messages. A partition that starts meanwhile drops it too.
    events_.after(network_delay(), [this, from, to, deliver] {
      if (from != to && cut_[from][to]) {
        ++stats_.messages_cut;
        return;
      }
      run_on(to, deliver);
    });
  }
}

void SimWorld::send_over_connection(std::size_t from, std::size_t to, std::function<void()> deliver) {
  ++stats_.messages;
  auto cut = [this, from, to] {
    if (from == to || !cut_[from][to]) return false;
    ++stats_.messages_cut;
    return true;
  };
  if (cut()) return;
  events_.after(network_delay(), [this, to, cut, deliver] {
    if (!cut()) run_on(to, deliver);
  });
}

void SimWorld::timer(std::size_t node, std::int64_t delay_us, std::function<void()> event) {
  const std::uint64_t incarnation = incarnation_[node];
  events_.after(delay_us, [this, node, incarnation, event = std::move(event)] {
    if (incarnation_[node] != incarnation) return;
    run_on(node, [this, node, incarnation, event] {
      if (incarnation_[node] == incarnation) event();
    });
  });
}

void SimWorld::reply_to_client(std::size_t node, std::uint64_t request_id, const bundled::OperationResult& result) {
  using Status = bundled::OperationResult::Status;
  const OpType type = result.status == Status::ok ? OpType::ok
                      : result.status == Status::cas_mismatch || result.definite ? OpType::fail
                                                                                  : OpType::info;
  events_.after(network_delay(), [this, request_id, type, value_read = result.value] {
    for (std::size_t c = 0; c < clients_.size(); ++c) {
      if (clients_[c].outstanding != request_id) continue;
      if (type == OpType::info) ++stats_.unknown_answers;
      nlohmann::json value = clients_[c].invocation.value;
      if (clients_[c].invocation.f == "read" && type == OpType::ok) value = value_read;
      complete(c, type, value);
    }
  });
}

bool SimWorld::clients_active() const {
  for (const Client& client : clients_)
    if (client.remaining > 0 || client.outstanding != 0) return true;
  return false;
}

void SimWorld::complete(std::size_t c, OpType type, const nlohmann::json& value) {
  Client& client = clients_[c];
  Op op = client.invocation;
  op.type = type;
  op.value = value;
  op.time_ns = now_us() * 1000;
  ops_.push_back(std::move(op));
  client.outstanding = 0;
  // After an unknown outcome the process may still be running the op: a new process takes
  // over (Jepsen's rule; History::build rejects an invoke after info).
  if (type == OpType::info) client.process += static_cast<std::int64_t>(config_.clients);
  if (client.remaining > 0) events_.after(random_.between(0, config_.client_think_max_us), [this, c] { start_next_op(c); });
}

void SimWorld::start_next_op(std::size_t c) {
  Client& client = clients_[c];
  --client.remaining;
  ClientRequest request;
  request.id = next_request_++;
  request.key = "k" + std::to_string(random_.between(0, config_.keys - 1));
  const std::int64_t roll = random_.between(0, config_.cas ? 2 : 1);
  auto value = [&] { return nlohmann::json(random_.between(0, config_.value_max)); };
  if (roll == 0) {
    request.command.kind = paxos::RegisterCommand::Kind::read;
  } else if (roll == 1) {
    request.command.kind = paxos::RegisterCommand::Kind::write;
    request.command.value = value();
  } else {
    request.command.kind = paxos::RegisterCommand::Kind::cas;
    request.command.from = value();
    request.command.to = value();
  }
  Op op;
  op.time_ns = now_us() * 1000;
  op.process = client.process;
  op.type = OpType::invoke;
  op.f = command_f(request.command);
  op.key = request.key;
  op.value = command_value(request.command);
  client.invocation = op;
  client.outstanding = request.id;
  ops_.push_back(op);

  // (No draw without a leader share: the seeds of older runs replay as they were.)
  const bool to_leader = config_.leader_percent > 0 && random_.between(0, 99) < config_.leader_percent;
  const std::size_t node =
      to_leader ? 0 : static_cast<std::size_t>(random_.between(0, static_cast<std::int64_t>(config_.nodes) - 1));
  // Client links are TCP connections: delayed, never silently lossy. A request to a node that
  // is down (or crashes before answering) ends in the client's timeout: unknown.
  events_.after(network_delay(), [this, node, request] {
    run_on(node, [this, node, request] { protocol_->on_client_request(node, request); });
  });
  const std::uint64_t id = request.id;
  events_.after(config_.client_timeout_us, [this, c, id] {
    if (clients_[c].outstanding != id) return;
    ++stats_.client_timeouts;
    complete(c, OpType::info, clients_[c].invocation.value);
  });
}

bool SimWorld::faults_may_start() const {
  return clients_active() && (config_.faults_end_us == 0 || now_us() < config_.faults_end_us);
}

void SimWorld::start_partition(const std::vector<std::vector<bool>>& cut, std::int64_t duration_us) {
  cut_ = cut;
  partitioned_ = true;
  ++stats_.partitions;
  events_.after(duration_us, [this] { heal(now_us()); });
}

void SimWorld::heal(std::int64_t now) {
  for (auto& row : cut_) row.assign(row.size(), false);
  partitioned_ = false;
  stats_.last_heal_us = now;
}

void SimWorld::schedule_partition() {
  events_.after(random_.between(1, config_.partition_interval_max_us), [this] {
    if (!faults_may_start()) return;
    if (!partitioned_ && config_.nodes >= 3) {
      PartitionPlannerOptions options;
      for (std::size_t n = 0; n < config_.nodes; ++n) options.nodes.push_back(std::to_string(n));
      options.weights.configured = 0;
      const Partition partition = next_partition(options, shapes_);
      std::vector<std::vector<bool>> cut(config_.nodes, std::vector<bool>(config_.nodes, false));
      for (const Link& link : links_cut(partition.grudge)) cut[std::stoul(link.from)][std::stoul(link.to)] = true;
      start_partition(cut, random_.between(1, config_.partition_max_us));
    }
    schedule_partition();
  });
}

void SimWorld::schedule_pause() {
  events_.after(random_.between(1, config_.pause_interval_max_us), [this] {
    if (!faults_may_start()) return;
    bool any_paused = false;
    for (bool paused : paused_) any_paused = any_paused || paused;
    const std::size_t node = static_cast<std::size_t>(random_.between(0, static_cast<std::int64_t>(config_.nodes) - 1));
    if (!any_paused && up_[node]) {
      paused_[node] = true;
      ++stats_.pauses;
      events_.after(random_.between(1, config_.pause_max_us), [this, node] {
        paused_[node] = false;
        stats_.last_heal_us = now_us();
        // What waited runs now, in the order it arrived.
        for (auto& event : std::exchange(deferred_[node], {})) events_.after(0, [this, node, event] { run_on(node, event); });
      });
    }
    schedule_pause();
  });
}

void SimWorld::schedule_crash() {
  events_.after(random_.between(1, config_.crash_interval_max_us), [this] {
    if (!faults_may_start()) return;
    std::size_t down = 0;
    for (bool up : up_) down += up ? 0 : 1;
    // Keep a majority up so that the run makes progress; safety must hold either way.
    if (down + 1 <= (config_.nodes - 1) / 2) {
      const std::size_t node = static_cast<std::size_t>(random_.between(0, static_cast<std::int64_t>(config_.nodes) - 1));
      if (up_[node]) {
        up_[node] = false;
        // A paused node that is killed never runs what waited, and restarts running.
        deferred_[node].clear();
        paused_[node] = false;
        ++incarnation_[node];
        ++stats_.crashes;
        protocol_->on_crash(node);
        events_.after(random_.between(1, config_.downtime_max_us), [this, node] {
          up_[node] = true;
          stats_.last_heal_us = now_us();
          protocol_->on_restart(node);
        });
      }
    }
    schedule_crash();
  });
}

std::vector<Op> SimWorld::run(SimProtocol& protocol) {
  protocol_ = &protocol;
  clients_.resize(config_.clients);
  for (std::size_t c = 0; c < clients_.size(); ++c) {
    clients_[c].process = static_cast<std::int64_t>(c);
    clients_[c].remaining = config_.ops_per_client;
    events_.after(random_.between(0, config_.client_think_max_us), [this, c] { start_next_op(c); });
  }
  if (config_.crashes) schedule_crash();
  if (config_.partitions) schedule_partition();
  if (config_.pauses) schedule_pause();
  for (const SimConfig::Isolation& isolation : config_.isolations) {
    events_.at(isolation.start_us, [this, isolation] {
      std::vector<std::vector<bool>> cut(config_.nodes, std::vector<bool>(config_.nodes, false));
      for (std::size_t other = 0; other < config_.nodes; ++other) {
        if (other == isolation.node) continue;
        cut[isolation.node][other] = cut[other][isolation.node] = true;
      }
      start_partition(cut, isolation.end_us - isolation.start_us);
    });
  }
  while (events_.run_next()) {
  }
  stats_.end_us = now_us();
  return std::move(ops_);
}

}  // namespace faultline::sim
