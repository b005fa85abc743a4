#include "paxos_sim.h"

#include <map>
#include <optional>
#include <set>

#include "../paxos/paxos_node.h"

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
    SimNode& n = nodes_[node];
    if (n.non_voter) {
      world_.reply_to_client(node, request.id,
                             bundled::OperationResult{bundled::OperationResult::Status::failed, nullptr, true, "state lost"});
      return;
    }
    const std::uint64_t id = n.next_id++;
    n.origins.emplace(id, Origin{request.id, false, 0, 0});
    requests_received_.push_back(ReceivedRequest{node, world_.now_us()});
    step(node, ClientOperation{id, request.key, request.command, false});
  }

  void on_crash(std::size_t node) override {
    SimNode& n = nodes_[node];
    if (n.node) add_counters(n.node->counters());
    n.node.reset();  // everything volatile is lost; n.durable stays
    if (options_.amnesia_percent > 0 && !n.journal.empty() && world_.random().percent(options_.amnesia_percent)) {
      // A log cut short: the durable state is what the journal's first records make.
      const auto kept = static_cast<std::size_t>(world_.random().between(0, static_cast<std::int64_t>(n.journal.size()) - 1));
      n.journal.resize(kept);
      n.durable = PaxosNodeDurable{};
      for (const JournalEntry& entry : n.journal) apply(n.durable, entry);
      n.lost = true;
      ++amnesias_;
    }
    n.origins.clear();
    n.forwards_pending.clear();
  }

  void on_restart(std::size_t node) override {
    SimNode& n = nodes_[node];
    if (n.lost && options_.bug != bundled::Bug::trust_damaged_log) {
      n.non_voter = true;  // no PaxosNode: requests to it go unanswered
      return;
    }
    n.lost = false;
    if (n.non_voter) return;
    n.node.emplace(node_config(node), n.durable);
  }

  void finish(SimResult& result) {
    for (SimNode& n : nodes_)
      if (n.node) add_counters(n.node->counters());
    result.batched_operations = totals_.batched_operations;
    result.confirmed_read_batches = totals_.confirmed_reads;
    result.operations_forwarded = totals_.operations_forwarded;
    result.answered_forwards = std::move(answered_forwards_);
    result.requests_received = std::move(requests_received_);
    result.amnesias = amnesias_;
  }

 private:
  // Where a node's answer to an operation goes: a client, or the node that forwarded it.
  struct Origin {
    std::uint64_t client_request = 0;
    bool forwarded = false;
    std::size_t forwarder = 0;
    std::uint64_t forward_id = 0;  // the forwarder's operation id
  };
  // One durable write, in the order the log would hold it.
  struct JournalEntry {
    std::optional<std::pair<std::string, AcceptorRecord>> record;
    std::uint64_t ballot_reserved = 0;  // when no record
  };
  static void apply(PaxosNodeDurable& durable, const JournalEntry& entry) {
    if (entry.record) durable.records[entry.record->first] = entry.record->second;
    else durable.ballot_reserved = std::max(durable.ballot_reserved, entry.ballot_reserved);
  }
  void write(std::size_t node, JournalEntry entry) {
    SimNode& n = nodes_[node];
    apply(n.durable, entry);
    if (options_.amnesia_percent > 0) n.journal.push_back(std::move(entry));
  }

  struct SimNode {
    PaxosNodeDurable durable;  // survives crashes
    std::vector<JournalEntry> journal;  // what made `durable`, with amnesia on
    bool lost = false;       // its journal was cut short since it last started
    bool non_voter = false;  // it found so at a start: out for good
    std::optional<PaxosNode> node;
    std::map<std::uint64_t, Origin> origins;
    std::set<std::uint64_t> forwards_pending;  // this node's operations out at a leader
    std::uint64_t next_id = 1;
  };

  PaxosNodeConfig node_config(std::size_t node) {
    PaxosNodeConfig config;
    config.cluster_size = nodes_.size();
    config.self = node;
    config.bug = options_.bug;
    config.fast_path = options_.fast_path;
    config.leader_proposers = options_.leader_proposers;
    config.batch_max = options_.batch_max;
    config.max_attempts = options_.max_attempts;
    config.attempt_timeout_us = options_.attempt_timeout_us;
    config.backoff_max_us = options_.backoff_max_us;
    config.key_queue_wait_us_max = options_.attempt_timeout_us;
    config.leader_suspicion_us = options_.attempt_timeout_us;
    config.leader_slow_us = options_.attempt_timeout_us;
    config.random_seed = world_.random().next();
    return config;
  }

  // As the node's limits relate (node/limits.h): a forward waits for whatever the leader may
  // do with the operation.
  std::int64_t forward_timeout_us() const {
    return options_.attempt_timeout_us +
           options_.max_attempts * (2 * options_.attempt_timeout_us + options_.backoff_max_us * options_.max_attempts) +
           options_.attempt_timeout_us / 2;
  }

  void add_counters(const PaxosNodeCounters& c) {
    totals_.batched_operations += c.batched_operations;
    totals_.confirmed_reads += c.confirmed_reads;
    totals_.operations_forwarded += c.operations_forwarded;
  }

  void step(std::size_t node, const PaxosEvent& event) {
    SimNode& n = nodes_[node];
    if (!n.node) return;
    Ready ready = n.node->step(event, world_.now_us());
    carry_out(node, ready);
  }

  // What the node's driver does with a Ready (node/paxos_service.cc), on the simulated world.
  void carry_out(std::size_t node, Ready& ready) {
    SimNode& n = nodes_[node];
    if (ready.ballot_reservation != 0) write(node, JournalEntry{std::nullopt, ready.ballot_reservation});
    for (auto& [key, record] : ready.records) {
      if (ready.records_may_lag) {
        world_.timer(node, options_.persist_lag_us,
                     [this, node, key, record] { write(node, JournalEntry{std::make_pair(key, record), 0}); });
      } else {
        write(node, JournalEntry{std::make_pair(key, record), 0});
      }
    }
    for (const Send& send : ready.sends) {
      world_.send(node, send.to, [this, acceptor = send.to, proposer = node, tag = send.tag, request = send.request] {
        SimNode& a = nodes_[acceptor];
        if (!a.node) return;
        Ready answered = a.node->step(AcceptorRequestIn{request}, world_.now_us());
        carry_out(acceptor, answered);
        world_.send(acceptor, proposer, [this, acceptor, proposer, tag, reply = *answered.acceptor_reply] {
          step(proposer, AcceptorReplyIn{acceptor, tag, reply});
        });
      });
    }
    for (const ClientAnswer& answer : ready.answers) {
      auto it = n.origins.find(answer.id);
      if (it == n.origins.end()) continue;
      const Origin origin = it->second;
      n.origins.erase(it);
      if (!origin.forwarded) {
        world_.reply_to_client(node, origin.client_request, answer.result);
        continue;
      }
      world_.send_over_connection(node, origin.forwarder, [this, leader = node, forwarder = origin.forwarder, id = origin.forward_id,
                                           result = answer.result] {
        if (nodes_[forwarder].forwards_pending.erase(id) == 0) return;  // timed out already
        answered_forwards_.push_back(AnsweredForward{forwarder, leader, world_.now_us()});
        step(forwarder, ForwardAnswered{id, result, true, ""});
      });
    }
    for (const TimerRequest& timer : ready.timers)
      world_.timer(node, timer.at_us - world_.now_us(), [this, node, id = timer.id] { step(node, TimerDue{id}); });
    for (const Forward& forward : ready.forwards) send_forward(node, forward);
  }

  void send_forward(std::size_t node, const Forward& forward) {
    if (!world_.is_up(forward.to)) {
      // Connection refused: nothing was sent, the next candidate gets it.
      world_.timer(node, 1, [this, node, id = forward.id] {
        step(node, ForwardAnswered{id, std::nullopt, false, "connection refused"});
      });
      return;
    }
    nodes_[node].forwards_pending.insert(forward.id);
    world_.send_over_connection(node, forward.to, [this, leader = forward.to, from = node, forward] {
      SimNode& l = nodes_[leader];
      if (!l.node) return;
      const std::uint64_t id = l.next_id++;
      l.origins.emplace(id, Origin{0, true, from, forward.id});
      step(leader, ClientOperation{id, forward.key, forward.command, true});
    });
    // A forward over a live connection that gets no answer: the request may have arrived.
    world_.timer(node, forward_timeout_us(), [this, node, id = forward.id] {
      if (nodes_[node].forwards_pending.erase(id) == 0) return;
      step(node, ForwardAnswered{id, std::nullopt, true, "timed out"});
    });
  }

  SimWorld& world_;
  PaxosSimOptions options_;
  std::vector<SimNode> nodes_;
  PaxosNodeCounters totals_;  // of incarnations that crashed, and at the end of the others
  std::size_t amnesias_ = 0;
  std::vector<AnsweredForward> answered_forwards_;
  std::vector<ReceivedRequest> requests_received_;
};

}  // namespace

SimResult run_paxos_simulation(const SimConfig& config, const PaxosSimOptions& options) {
  SimWorld world(config);
  PaxosSim protocol(world, options);
  SimResult result;
  result.ops = world.run(protocol);
  result.stats = world.stats();
  protocol.finish(result);
  return result;
}

}  // namespace faultline::sim
