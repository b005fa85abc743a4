#include "paxos_sim.h"

#include <deque>
#include <map>
#include <optional>

#include "../paxos/acceptor.h"
#include "../paxos/fast_path.h"
#include "../paxos/key_queues.h"
#include "../paxos/proposer.h"

namespace faultline::sim {
namespace {

using namespace faultline::paxos;

class PaxosSim final : public SimProtocol {
 public:
  PaxosSim(SimWorld& world, const PaxosSimOptions& options) : world_(world), options_(options) {
    nodes_.reserve(world.config().nodes);
    for (std::size_t n = 0; n < world.config().nodes; ++n) nodes_.emplace_back(options.batch_max);
    for (std::size_t n = 0; n < nodes_.size(); ++n) on_restart(n);
  }

  void on_client_request(std::size_t node, const ClientRequest& request) override {
    Node& n = nodes_[node];
    const std::uint64_t id = next_operation_++;
    n.waiting.emplace(id, request);
    // As the node does: one proposer per key at a time; the others wait and go as one batch.
    start_batch(node, request.key, n.queues.arrive(request.key, id));
  }

  void on_crash(std::size_t node) override {
    Node& n = nodes_[node];
    n.acceptor.reset();
    n.ballots.reset();
    n.waiting.clear();
    n.batches.clear();
    n.queues.forget_all();
    n.fast_paths.forget_all();  // memory, lost with the process
  }

  void on_restart(std::size_t node) override {
    Node& n = nodes_[node];
    n.acceptor.emplace(n.durable_records, options_.bug);
    n.ballots.emplace(static_cast<std::uint32_t>(node), n.durable_reserved);
  }

 private:
  struct Batch {
    std::vector<std::uint64_t> request_ids;  // the clients' requests, in the batch's order
    Proposer proposer;
  };
  struct Node {
    std::map<std::string, AcceptorRecord> durable_records;  // survives crashes
    std::uint64_t durable_reserved = 0;                     // survives crashes
    std::optional<Acceptor> acceptor;
    std::optional<BallotSource> ballots;
    std::map<std::uint64_t, ClientRequest> waiting;  // operation id -> request, until its batch starts
    std::map<std::uint64_t, Batch> batches;          // running, by batch id
    KeyQueues queues;
    FastPaths fast_paths;
    explicit Node(std::size_t batch_max) : queues(batch_max) {}
  };

  // Starts a batch of waiting operations on `key` (none: nothing to start).
  void start_batch(std::size_t node, const std::string& key, const std::vector<std::uint64_t>& operations) {
    if (operations.empty()) return;
    Node& n = nodes_[node];
    std::vector<std::uint64_t> request_ids;
    std::vector<RegisterCommand> commands;
    for (std::uint64_t operation : operations) {
      auto it = n.waiting.find(operation);
      request_ids.push_back(it->second.id);
      commands.push_back(it->second.command);
      n.waiting.erase(it);
    }
    if (commands.size() > 1) batched_operations_ += commands.size();
    ProposerConfig config{world_.config().nodes, options_.max_attempts, options_.bug};
    const std::uint64_t id = next_operation_++;
    n.batches.emplace(id, Batch{std::move(request_ids), Proposer(config, key, std::move(commands))});
    start_attempt(node, id, 0);
  }

  Ballot reserve_ballot(std::size_t node, std::uint64_t above) {
    Node& n = nodes_[node];
    const BallotSource::Next next = n.ballots->next(above);
    if (next.reserve != 0) n.durable_reserved = next.reserve;
    return next.ballot;
  }

  void start_attempt(std::size_t node, std::uint64_t id, std::uint64_t above) {
    Node& n = nodes_[node];
    auto it = n.batches.find(id);
    if (it == n.batches.end()) return;
    Proposer& proposer = it->second.proposer;
    // The first attempt of an operation may skip the prepare round (options_.fast_path).
    if (proposer.attempts() == 0 && options_.fast_path) {
      if (std::optional<FastPath> fast = n.fast_paths.take(proposer.key())) {
        handle(node, id, proposer.begin_fast(fast->ballot, fast->value,
                                             [&] { return reserve_ballot(node, fast->ballot.counter); }));
        return;
      }
    }
    const Ballot ballot = reserve_ballot(node, above);
    handle(node, id, proposer.begin(ballot, options_.fast_path ? reserve_ballot(node, ballot.counter) : Ballot{}));
  }

  void handle(std::size_t node, std::uint64_t id, ProposerOutput out) {
    if (out.broadcast) {
      // One timeout per round of messages; a later round makes it stale.
      const int round = nodes_[node].batches.at(id).proposer.round();
      world_.timer(node, options_.attempt_timeout_us, [this, node, id, round] {
        auto op = nodes_[node].batches.find(id);
        if (op != nodes_[node].batches.end() && op->second.proposer.round() == round)
          handle(node, id, op->second.proposer.on_timeout());
      });
      for (std::size_t acceptor = 0; acceptor < nodes_.size(); ++acceptor) {
        world_.send(node, acceptor, [this, acceptor, node, id, request = *out.broadcast] {
          receive_request(acceptor, node, id, request);
        });
      }
    }
    if (out.retry_above) {
      const std::uint64_t above = *out.retry_above;
      world_.timer(node, world_.random().between(0, options_.backoff_max_us),
                   [this, node, id, above] { start_attempt(node, id, above); });
    }
    if (out.done) {
      auto it = nodes_[node].batches.find(id);
      const ProposerResult& result = *out.done;
      for (std::size_t i = 0; i < it->second.request_ids.size(); ++i) {
        world_.reply_to_client(node, it->second.request_ids[i], result.command(i));
      }
      if (it->second.proposer.confirmed()) ++confirmed_read_batches_;
      const std::string key = it->second.proposer.key();
      if (it->second.proposer.next_promised_by_majority())
        nodes_[node].fast_paths.remember(key, FastPath{it->second.proposer.next_ballot(), it->second.proposer.value_after()});
      nodes_[node].batches.erase(it);
      start_batch(node, key, nodes_[node].queues.finish(key));
    }
  }

  void receive_request(std::size_t acceptor, std::size_t proposer_node, std::uint64_t id, const AcceptorRequest& request) {
    Node& n = nodes_[acceptor];
    AcceptorStep step = n.acceptor->step(request);
    if (step.to_persist) {
      auto [key, record] = std::move(*step.to_persist);
      if (options_.bug == bundled::Bug::paxos_reply_before_persist) {
        world_.timer(acceptor, options_.persist_lag_us,
                     [this, acceptor, key, record] { nodes_[acceptor].durable_records[key] = record; });
      } else {
        n.durable_records[key] = record;
      }
    }
    world_.send(acceptor, proposer_node, [this, proposer_node, acceptor, id, reply = step.reply] {
      auto it = nodes_[proposer_node].batches.find(id);
      if (it != nodes_[proposer_node].batches.end())
        handle(proposer_node, id, it->second.proposer.on_reply(static_cast<std::uint32_t>(acceptor), reply));
    });
  }

  SimWorld& world_;
  PaxosSimOptions options_;
  std::vector<Node> nodes_;
  std::uint64_t next_operation_ = 1;
  std::size_t batched_operations_ = 0;
  std::size_t confirmed_read_batches_ = 0;

 public:
  std::size_t batched_operations() const { return batched_operations_; }
  std::size_t confirmed_read_batches() const { return confirmed_read_batches_; }
};

}  // namespace

SimResult run_paxos_simulation(const SimConfig& config, const PaxosSimOptions& options) {
  SimWorld world(config);
  PaxosSim protocol(world, options);
  SimResult result;
  result.ops = world.run(protocol);
  result.stats = world.stats();
  result.batched_operations = protocol.batched_operations();
  result.confirmed_read_batches = protocol.confirmed_read_batches();
  return result;
}

}  // namespace faultline::sim
