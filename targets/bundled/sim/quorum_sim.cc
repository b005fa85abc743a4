#include "quorum_sim.h"

#include <map>
#include <optional>

#include "../quorum/replica.h"

namespace faultline::sim {
namespace {

using namespace faultline::quorum;

class QuorumSim final : public SimProtocol {
 public:
  QuorumSim(SimWorld& world, const QuorumSimOptions& options) : world_(world), options_(options) {
    options_.quorum.cluster_size = world.config().nodes;
    nodes_.resize(world.config().nodes);
    for (std::size_t n = 0; n < nodes_.size(); ++n) on_restart(n);
  }

  void on_client_request(std::size_t node, const ClientRequest& request) override {
    Node& n = nodes_[node];
    const std::uint64_t id = next_operation_++;
    const std::int64_t clock_us =
        world_.now_us() + (node < options_.clock_offset_us.size() ? options_.clock_offset_us[node] : 0);
    auto [it, inserted] = n.operations.emplace(
        id, Operation{request.id, std::make_unique<Coordinator>(options_.quorum, node, request.key, request.command,
                                                                *n.timestamps, clock_us)});
    handle(node, id, it->second.coordinator->start());
  }

  void on_crash(std::size_t node) override {
    Node& n = nodes_[node];
    n.operations.clear();
    n.replica.reset();
    n.timestamps.reset();
  }

  void on_restart(std::size_t node) override {
    Node& n = nodes_[node];
    n.replica.emplace(n.durable_records);
    n.timestamps.emplace(static_cast<std::uint32_t>(node), n.durable_reserved);
  }

 private:
  struct Operation {
    std::uint64_t request_id;
    std::unique_ptr<Coordinator> coordinator;
  };
  struct Node {
    std::map<std::string, Versioned> durable_records;  // survives crashes
    std::int64_t durable_reserved = 0;                 // survives crashes
    std::optional<Replica> replica;
    std::optional<TimestampSource> timestamps;
    std::map<std::uint64_t, Operation> operations;
  };

  void handle(std::size_t node, std::uint64_t id, CoordinatorOutput out) {
    if (out.persist_timestamp_reservation != 0) nodes_[node].durable_reserved = out.persist_timestamp_reservation;
    if (!out.done && !out.send.empty()) {
      // One timeout per round of sends; a later round makes it stale.
      const int round = nodes_[node].operations.at(id).coordinator->round();
      world_.timer(node, options_.operation_timeout_us, [this, node, id, round] {
        auto op = nodes_[node].operations.find(id);
        if (op != nodes_[node].operations.end() && op->second.coordinator->round() == round)
          handle(node, id, op->second.coordinator->on_timeout());
      });
    }
    for (QuorumMessage& message : out.send) {
      world_.send(node, message.to, [this, replica = message.to, node, id, request = message.request] {
        receive_request(replica, node, id, request);
      });
    }
    if (out.done) {
      auto it = nodes_[node].operations.find(id);
      world_.reply_to_client(node, it->second.request_id, *out.done);
      nodes_[node].operations.erase(it);
    }
  }

  void receive_request(std::size_t replica, std::size_t coordinator_node, std::uint64_t id, const ReplicaRequest& request) {
    Node& n = nodes_[replica];
    ReplicaStep step = n.replica->step(request);
    if (step.to_persist) n.durable_records[step.to_persist->first] = step.to_persist->second;
    world_.send(replica, coordinator_node, [this, coordinator_node, replica, id, reply = step.reply] {
      auto it = nodes_[coordinator_node].operations.find(id);
      if (it != nodes_[coordinator_node].operations.end())
        handle(coordinator_node, id, it->second.coordinator->on_reply(replica, reply));
    });
  }

  SimWorld& world_;
  QuorumSimOptions options_;
  std::vector<Node> nodes_;
  std::uint64_t next_operation_ = 1;
};

}  // namespace

SimResult run_quorum_simulation(const SimConfig& config, const QuorumSimOptions& options) {
  SimWorld world(config);
  QuorumSim protocol(world, options);
  SimResult result;
  result.ops = world.run(protocol);
  result.stats = world.stats();
  return result;
}

}  // namespace faultline::sim
