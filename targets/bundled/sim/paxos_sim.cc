#include "paxos_sim.h"

#include <deque>
#include <map>
#include <optional>

#include "../paxos/acceptor.h"
#include "../paxos/fast_path.h"
#include "../paxos/proposer.h"

namespace faultline::sim {
namespace {

using namespace faultline::paxos;

class PaxosSim final : public SimProtocol {
 public:
  PaxosSim(SimWorld& world, const PaxosSimOptions& options) : world_(world), options_(options) {
    nodes_.resize(world.config().nodes);
    for (std::size_t n = 0; n < nodes_.size(); ++n) on_restart(n);
  }

  void on_client_request(std::size_t node, const ClientRequest& request) override {
    ProposerConfig config{world_.config().nodes, options_.max_attempts, options_.bug};
    const std::uint64_t id = next_operation_++;
    Node& n = nodes_[node];
    n.operations.emplace(id, Operation{request.id, Proposer(config, request.key, request.command)});
    // As the node does (KeyLocks): one proposer per key at a time, the others wait their turn.
    std::deque<std::uint64_t>& queue = n.queued[request.key];
    queue.push_back(id);
    if (queue.size() == 1) start_attempt(node, id, 0);
  }

  void on_crash(std::size_t node) override {
    Node& n = nodes_[node];
    n.acceptor.reset();
    n.ballots.reset();
    n.operations.clear();
    n.queued.clear();
    n.fast_paths.forget_all();  // memory, lost with the process
  }

  void on_restart(std::size_t node) override {
    Node& n = nodes_[node];
    n.acceptor.emplace(n.durable_records, options_.bug);
    n.ballots.emplace(static_cast<std::uint32_t>(node), n.durable_reserved);
  }

 private:
  struct Operation {
    std::uint64_t request_id;
    Proposer proposer;
  };
  struct Node {
    std::map<std::string, AcceptorRecord> durable_records;  // survives crashes
    std::uint64_t durable_reserved = 0;                     // survives crashes
    std::optional<Acceptor> acceptor;
    std::optional<BallotSource> ballots;
    std::map<std::uint64_t, Operation> operations;
    std::map<std::string, std::deque<std::uint64_t>> queued;  // per key: the running op, then waiting ones
    FastPaths fast_paths;
  };

  Ballot reserve_ballot(std::size_t node, std::uint64_t above) {
    Node& n = nodes_[node];
    const BallotSource::Next next = n.ballots->next(above);
    if (next.reserve != 0) n.durable_reserved = next.reserve;
    return next.ballot;
  }

  void start_attempt(std::size_t node, std::uint64_t id, std::uint64_t above) {
    Node& n = nodes_[node];
    auto it = n.operations.find(id);
    if (it == n.operations.end()) return;
    Proposer& proposer = it->second.proposer;
    // The first attempt of an operation may skip the prepare round (options_.fast_path).
    if (proposer.attempts() == 0 && options_.fast_path) {
      if (std::optional<FastPath> fast = n.fast_paths.take(proposer.key())) {
        const Ballot next = reserve_ballot(node, fast->ballot.counter);
        handle(node, id, proposer.begin_accepting(fast->ballot, fast->value, next));
        return;
      }
    }
    const Ballot ballot = reserve_ballot(node, above);
    handle(node, id, proposer.begin(ballot, options_.fast_path ? reserve_ballot(node, ballot.counter) : Ballot{}));
  }

  void handle(std::size_t node, std::uint64_t id, ProposerOutput out) {
    if (out.broadcast) {
      // One timeout per round of messages; a later round makes it stale.
      const int round = nodes_[node].operations.at(id).proposer.round();
      world_.timer(node, options_.attempt_timeout_us, [this, node, id, round] {
        auto op = nodes_[node].operations.find(id);
        if (op != nodes_[node].operations.end() && op->second.proposer.round() == round)
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
      auto it = nodes_[node].operations.find(id);
      const ProposerResult& result = *out.done;
      ClientOutcome outcome;
      switch (result.status) {
        case ProposerResult::Status::ok: outcome = {ClientOutcomeType::ok, result.value}; break;
        case ProposerResult::Status::cas_mismatch: outcome = {ClientOutcomeType::fail, nullptr}; break;
        case ProposerResult::Status::failed:
          outcome = {result.definite ? ClientOutcomeType::fail : ClientOutcomeType::info, nullptr};
          break;
      }
      world_.reply_to_client(node, it->second.request_id, outcome);
      const std::string key = it->second.proposer.key();
      if (it->second.proposer.next_promised_by_majority())
        nodes_[node].fast_paths.remember(key, FastPath{it->second.proposer.next_ballot(), it->second.proposer.value_after()});
      nodes_[node].operations.erase(it);
      std::deque<std::uint64_t>& queue = nodes_[node].queued[key];
      queue.pop_front();
      if (!queue.empty()) start_attempt(node, queue.front(), 0);
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
      auto it = nodes_[proposer_node].operations.find(id);
      if (it != nodes_[proposer_node].operations.end())
        handle(proposer_node, id, it->second.proposer.on_reply(static_cast<std::uint32_t>(acceptor), reply));
    });
  }

  SimWorld& world_;
  PaxosSimOptions options_;
  std::vector<Node> nodes_;
  std::uint64_t next_operation_ = 1;
};

}  // namespace

SimResult run_paxos_simulation(const SimConfig& config, const PaxosSimOptions& options) {
  SimWorld world(config);
  PaxosSim protocol(world, options);
  SimResult result;
  result.ops = world.run(protocol);
  result.stats = world.stats();
  return result;
}

}  // namespace faultline::sim
