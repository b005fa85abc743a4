#include "paxos_node.h"

#include <algorithm>
#include <type_traits>

namespace faultline::paxos {
namespace {

const std::string& key_of(const AcceptorReply& reply) {
  return std::visit([](const auto& r) -> const std::string& { return r.key; }, reply);
}

bool is_rejection(const AcceptorReply& reply) {
  if (const auto* promise = std::get_if<Promise>(&reply)) return !promise->ok;
  if (const auto* accepted = std::get_if<Accepted>(&reply)) return !accepted->ok;
  return false;
}

std::string microseconds_text(std::int64_t us) { return std::to_string(us / 1000) + " ms"; }

}  // namespace

PaxosNode::PaxosNode(const PaxosNodeConfig& config, PaxosNodeDurable durable)
    : config_(config),
      acceptor_(std::move(durable.records), config.bug),
      ballots_(static_cast<std::uint32_t>(config.self), durable.ballot_reserved),
      queues_(config.batch_max),
      leader_choice_(config.cluster_size, config.self, config.leader_suspicion_us, config.leader_slow_us,
                     config.bug == bundled::Bug::paxos_healed_leader_passed_over),
      random_(config.random_seed) {}

Ready PaxosNode::step(const PaxosEvent& event, std::int64_t now_us) {
  Ready ready;
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, ClientOperation>) on_client_operation(e, now_us, ready);
        else if constexpr (std::is_same_v<E, AcceptorRequestIn>) on_acceptor_request(e.request, ready);
        else if constexpr (std::is_same_v<E, AcceptorReplyIn>) on_acceptor_reply(e, now_us, ready);
        else if constexpr (std::is_same_v<E, TimerDue>) on_timer(e, now_us, ready);
        else on_forward_answered(e, now_us, ready);
      },
      event);
  return ready;
}

void PaxosNode::on_client_operation(const ClientOperation& operation, std::int64_t now_us, Ready& ready) {
  if (!config_.leader_proposers || operation.forwarded) {
    propose_here(operation.id, operation.key, operation.command, now_us, ready);
    return;
  }
  route(operation.id, operation.key, operation.command, now_us, ready, false);
}

void PaxosNode::route(std::uint64_t id, const std::string& key, const RegisterCommand& command, std::int64_t now_us,
                      Ready& ready, bool forwarded_before) {
  const std::size_t leader = leader_choice_.leader(now_us);
  if (leader == config_.self) {
    propose_here(id, key, command, now_us, ready);
    return;
  }
  if (!forwarded_before) ++counters_.operations_forwarded;
  leader_choice_.forward_started(leader, now_us);
  forwards_[id] = Forwarding{leader, now_us, key, command};
  ready.forwards.push_back(Forward{id, leader, key, command});
}

void PaxosNode::on_forward_answered(const ForwardAnswered& answered, std::int64_t now_us, Ready& ready) {
  auto it = forwards_.find(answered.id);
  if (it == forwards_.end()) return;
  Forwarding forwarding = std::move(it->second);
  forwards_.erase(it);
  leader_choice_.forward_ended(forwarding.leader, forwarding.started_us, answered.result.has_value(), now_us);
  if (answered.result) {
    ready.answers.push_back(ClientAnswer{answered.id, *answered.result});
    return;
  }
  ++counters_.forwards_failed;
  ready.log.push_back("a forward to node " + std::to_string(forwarding.leader) + " got no answer after " +
                      microseconds_text(now_us - forwarding.started_us) + " (" + answered.error +
                      (answered.maybe_delivered ? "" : "; nothing was sent") + ")");
  // Nothing reached the leader: ask the next candidate (in the end this node itself).
  if (!answered.maybe_delivered) {
    route(answered.id, forwarding.key, forwarding.command, now_us, ready, true);
    return;
  }
  bundled::OperationResult unknown;
  unknown.status = bundled::OperationResult::Status::failed;
  // A read changes nothing, so a lost one certainly did not take effect.
  unknown.definite = reads_only(forwarding.command);
  unknown.error = "forwarded to the leader (node " + std::to_string(forwarding.leader) + "), which did not answer" +
                  (unknown.definite ? "" : ": the outcome is unknown");
  ready.answers.push_back(ClientAnswer{answered.id, std::move(unknown)});
}

void PaxosNode::propose_here(std::uint64_t id, const std::string& key, const RegisterCommand& command,
                             std::int64_t now_us, Ready& ready) {
  if (config_.bug == bundled::Bug::paxos_txn_split && command.kind == RegisterCommand::Kind::txn) {
    propose_split(id, command, now_us, ready);
    return;
  }
  operations_[id] = Operation{key, command, now_us + config_.key_queue_wait_us_max};
  start_batch(key, queues_.arrive(key, id), now_us, ready);
}

Ballot PaxosNode::new_ballot(std::uint64_t above, Ready& ready) {
  const BallotSource::Next next = ballots_.next(above);
  // Durable before the ballot leaves the node: a restart must never reuse a counter.
  if (next.reserve != 0) ready.ballot_reservation = std::max(ready.ballot_reservation, next.reserve);
  return next.ballot;
}

void PaxosNode::start_batch(const std::string& key, const std::vector<std::uint64_t>& operations,
                            std::int64_t now_us, Ready& ready) {
  if (operations.empty()) return;
  std::vector<RegisterCommand> commands;
  commands.reserve(operations.size());
  for (std::uint64_t id : operations) commands.push_back(operations_.at(id).command);
  ProposerConfig proposer_config{config_.cluster_size, config_.max_attempts, config_.bug};
  auto [it, inserted] =
      batches_.insert_or_assign(key, Batch{next_tag_++, operations, Proposer(proposer_config, key, std::move(commands))});
  Batch& batch = it->second;
  Proposer& proposer = batch.proposer;
  ++counters_.batches;
  if (operations.size() > 1) counters_.batched_operations += operations.size();
  ++counters_.attempts;
  // Each attempt's accept carries the prepare of the next ballot (unless fast paths are off).
  auto next_after = [&](const Ballot& ballot) { return config_.fast_path ? new_ballot(ballot.counter, ready) : Ballot{}; };
  std::optional<FastPath> fast;
  if (config_.fast_path) fast = fast_paths_.take(key);
  ProposerOutput out;
  if (fast) {
    if (!proposer.reads_only()) ++counters_.fast_path_operations;
    out = proposer.begin_fast(fast->ballot, fast->value, [&] { return next_after(fast->ballot); });
  } else {
    const Ballot ballot = new_ballot(0, ready);
    out = proposer.begin(ballot, next_after(ballot));
  }
  carry_out(batch, std::move(out), now_us, ready);
}

void PaxosNode::cancel_timer(Batch& batch, Ready& ready) {
  if (batch.timer == 0) return;
  timers_.erase(batch.timer);
  ready.cancelled_timers.push_back(batch.timer);
  batch.timer = 0;
}

void PaxosNode::set_timer(Batch& batch, Timer timer, std::int64_t at_us, Ready& ready) {
  cancel_timer(batch, ready);
  const std::uint64_t id = next_timer_++;
  timers_.emplace(id, std::move(timer));
  batch.timer = id;
  ready.timers.push_back(TimerRequest{id, at_us});
}

void PaxosNode::carry_out(Batch& batch, ProposerOutput out, std::int64_t now_us, Ready& ready) {
  Proposer& proposer = batch.proposer;
  if (out.broadcast) {
    if (std::holds_alternative<Prepare>(*out.broadcast)) ++counters_.prepares_sent;
    for (std::size_t to = 0; to < config_.cluster_size; ++to) ready.sends.push_back(Send{to, batch.tag, *out.broadcast});
    set_timer(batch, Timer{Timer::Kind::attempt_timeout, proposer.key(), batch.tag, proposer.round(), 0},
              now_us + config_.attempt_timeout_us, ready);
  }
  if (out.done) {
    finish(batch, *out.done, now_us, ready);  // `batch` is gone after this
    return;
  }
  if (out.retry_above) {
    const std::int64_t span = config_.backoff_max_us * std::max(1, proposer.attempts());
    const std::int64_t backoff = static_cast<std::int64_t>(random_() % static_cast<std::uint64_t>(span + 1));
    set_timer(batch, Timer{Timer::Kind::backoff, proposer.key(), batch.tag, 0, *out.retry_above}, now_us + backoff, ready);
  }
}

void PaxosNode::finish(Batch& batch, const ProposerResult& result, std::int64_t now_us, Ready& ready) {
  const Proposer& proposer = batch.proposer;
  const std::string key = proposer.key();
  if (!result.chosen) {
    counters_.operations_failed += batch.operations.size();
  } else {
    for (const Applied& applied : result.each) ++(applied.cas_mismatch ? counters_.cas_mismatches : counters_.operations_ok);
  }
  if (proposer.confirmed()) {
    ++counters_.confirmed_reads;
  } else if (result.chosen) {
    // The learner: this node's proposer saw a quorum accept `ballot` for `key`.
    Ballot& learned = learned_[key];
    learned = std::max(learned, proposer.ballot());
  }
  if (proposer.next_promised_by_majority())
    fast_paths_.remember(key, FastPath{proposer.next_ballot(), proposer.value_after()});
  for (std::size_t i = 0; i < batch.operations.size(); ++i) answer(batch.operations[i], result.command(i), now_us, ready);
  cancel_timer(batch, ready);
  batches_.erase(key);
  start_next_batch(key, now_us, ready);
}

void PaxosNode::answer(std::uint64_t id, bundled::OperationResult result, std::int64_t now_us, Ready& ready) {
  operations_.erase(id);
  if (auto part = split_parts_.find(id); part != split_parts_.end()) {
    const std::uint64_t parent = part->second;
    split_parts_.erase(part);
    part_answered(parent, result, now_us, ready);
    return;
  }
  ready.answers.push_back(ClientAnswer{id, std::move(result)});
}

void PaxosNode::propose_split(std::uint64_t id, const RegisterCommand& command, std::int64_t now_us, Ready& ready) {
  SplitTxn txn{command.value, {}, {}, 0};
  for (std::size_t i = 0; i < command.value.size(); ++i) {
    const std::string key = txn_key_register(command.value[i][1]);
    auto found = std::find(txn.keys.begin(), txn.keys.end(), key);
    if (found == txn.keys.end()) {
      txn.keys.push_back(key);
      txn.positions.emplace_back();
      found = txn.keys.end() - 1;
    }
    txn.positions[static_cast<std::size_t>(found - txn.keys.begin())].push_back(i);
  }
  split_txns_[id] = std::move(txn);
  start_part(id, now_us, ready);
}

void PaxosNode::start_part(std::uint64_t parent, std::int64_t now_us, Ready& ready) {
  const SplitTxn& txn = split_txns_.at(parent);
  RegisterCommand one{RegisterCommand::Kind::txn, nlohmann::json::array(), nullptr, nullptr};
  for (std::size_t i : txn.positions[txn.next]) one.value.push_back(txn.micro_ops[i]);
  const std::string key = txn.keys[txn.next];
  const std::uint64_t part_id = next_part_id_++;
  split_parts_[part_id] = parent;
  operations_[part_id] = Operation{key, std::move(one), now_us + config_.key_queue_wait_us_max};
  start_batch(key, queues_.arrive(key, part_id), now_us, ready);
}

void PaxosNode::part_answered(std::uint64_t parent, const bundled::OperationResult& result, std::int64_t now_us,
                              Ready& ready) {
  SplitTxn& txn = split_txns_.at(parent);
  const std::vector<std::size_t>& positions = txn.positions[txn.next];
  if (result.status == bundled::OperationResult::Status::ok) {
    for (std::size_t i = 0; i < positions.size(); ++i) txn.micro_ops[positions[i]] = result.value.at(i);
    if (++txn.next < txn.keys.size()) {
      start_part(parent, now_us, ready);
      return;
    }
    ready.answers.push_back(ClientAnswer{parent, {bundled::OperationResult::Status::ok, std::move(txn.micro_ops), true, ""}});
  } else {
    // The parts before this one took effect: nothing certainly failed unless this was the first.
    bundled::OperationResult failed = result;
    failed.status = bundled::OperationResult::Status::failed;
    failed.definite = result.definite && txn.next == 0;
    ready.answers.push_back(ClientAnswer{parent, std::move(failed)});
  }
  split_txns_.erase(parent);
}

void PaxosNode::start_next_batch(const std::string& key, std::int64_t now_us, Ready& ready) {
  for (;;) {
    std::vector<std::uint64_t> next = queues_.finish(key);
    if (next.empty()) return;  // the key is idle
    // Operations that waited too long are not started: no operation runs long after its
    // client stopped waiting.
    std::erase_if(next, [&](std::uint64_t id) {
      if (operations_.at(id).deadline_us > now_us) return false;
      bundled::OperationResult late;
      late.status = bundled::OperationResult::Status::failed;
      late.definite = true;
      late.error = "waited over " + microseconds_text(config_.key_queue_wait_us_max) +
                   " behind earlier operations on the key; not started";
      ++counters_.operations_not_started;
      answer(id, std::move(late), now_us, ready);
      return true;
    });
    if (next.empty()) continue;  // all too late: the ones still waiting, if any, go next
    start_batch(key, next, now_us, ready);
    return;
  }
}

void PaxosNode::on_acceptor_request(const AcceptorRequest& request, Ready& ready) {
  if (std::holds_alternative<Prepare>(request)) ++counters_.prepares;
  else if (std::holds_alternative<Confirm>(request)) ++counters_.confirms;
  else ++counters_.accepts;
  AcceptorStep step = acceptor_.step(request);
  ready.acceptor_reply = std::move(step.reply);
  if (!step.to_persist) return;
  ready.records.push_back(std::move(*step.to_persist));
  // The planted bug: reply now, write later.
  ready.records_may_lag = config_.bug == bundled::Bug::paxos_reply_before_persist;
}

void PaxosNode::on_acceptor_reply(const AcceptorReplyIn& in, std::int64_t now_us, Ready& ready) {
  auto it = batches_.find(key_of(in.reply));
  // A reply to an instance that has ended (the key's next one has another tag) is stale.
  if (it == batches_.end() || it->second.tag != in.tag) return;
  if (is_rejection(in.reply)) ++counters_.rejections;
  Batch& batch = it->second;
  carry_out(batch, batch.proposer.on_reply(static_cast<std::uint32_t>(in.from), in.reply), now_us, ready);
}

void PaxosNode::on_timer(const TimerDue& due, std::int64_t now_us, Ready& ready) {
  auto found = timers_.find(due.id);
  if (found == timers_.end()) return;
  const Timer timer = std::move(found->second);
  timers_.erase(found);
  auto it = batches_.find(timer.key);
  if (it == batches_.end() || it->second.tag != timer.tag) return;  // that instance has ended
  Batch& batch = it->second;
  if (batch.timer == due.id) batch.timer = 0;
  Proposer& proposer = batch.proposer;
  switch (timer.kind) {
    case Timer::Kind::attempt_timeout:
      // A later round of the same instance has its own timer.
      if (proposer.round() != timer.round) return;
      carry_out(batch, proposer.on_timeout(), now_us, ready);
      return;
    case Timer::Kind::backoff: {
      const Ballot ballot = new_ballot(timer.above, ready);
      ++counters_.attempts;
      carry_out(batch, proposer.begin(ballot, config_.fast_path ? new_ballot(ballot.counter, ready) : Ballot{}), now_us,
                ready);
      return;
    }
  }
}

}  // namespace faultline::paxos
