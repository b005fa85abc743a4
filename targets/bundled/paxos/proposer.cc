#include "proposer.h"

#include <algorithm>

namespace faultline::paxos {
namespace {

std::size_t accept_quorum(const ProposerConfig& config) {
  if (config.bug == bundled::Bug::paxos_minority_accept) return std::max<std::size_t>(1, config.cluster_size / 2);
  return Proposer::majority(config.cluster_size);
}

}  // namespace

bundled::OperationResult ProposerResult::command(std::size_t i) const {
  bundled::OperationResult result;
  if (!chosen) {
    result.status = bundled::OperationResult::Status::failed;
    result.definite = definite;
    result.error = error;
    return result;
  }
  const Applied& applied = each.at(i);
  result.status = applied.cas_mismatch ? bundled::OperationResult::Status::cas_mismatch : bundled::OperationResult::Status::ok;
  result.value = applied.result;
  result.definite = true;
  return result;
}

Proposer::Proposer(const ProposerConfig& config, std::string key, std::vector<RegisterCommand> commands)
    : config_(config), key_(std::move(key)), commands_(std::move(commands)),
      learner_(config.cluster_size, accept_quorum(config)) {}

ProposerOutput Proposer::begin(const Ballot& ballot, const Ballot& next) {
  ballot_ = ballot;
  next_ = next;
  fast_attempt_ = false;
  ++attempts_;
  phase_ = Phase::preparing;
  promised_by_.clear();
  rejected_by_.clear();
  highest_accepted_ = Ballot{};
  highest_value_ = nullptr;
  highest_seen_ = std::max(highest_seen_, ballot.counter);
  ProposerOutput out;
  out.broadcast = Prepare{key_, ballot_};
  ++round_;
  return out;
}

ProposerOutput Proposer::begin_accepting(const Ballot& ballot, const nlohmann::json& value, const Ballot& next) {
  ballot_ = ballot;
  next_ = next;
  fast_attempt_ = true;
  fast_attempt_unprovable_ = false;
  never_accepted_by_.clear();
  ++attempts_;
  highest_seen_ = std::max(highest_seen_, ballot.counter);
  applied_ = apply_commands(commands_, value);
  return start_accept_phase();
}

ProposerOutput Proposer::start_accept_phase() {
  phase_ = Phase::accepting;
  accept_ballots_.push_back(ballot_);
  accept_sent_ = true;
  learner_.reset(ballot_);
  ProposerOutput out;
  out.broadcast = Accept{key_, ballot_, applied_.next, next_};
  ++round_;
  return out;
}

ProposerOutput Proposer::begin_fast(const Ballot& ballot, const nlohmann::json& value,
                                    const std::function<Ballot()>& next_ballot) {
  if (reads_only()) return begin_confirming(ballot, value);
  return begin_accepting(ballot, value, next_ballot());
}

ProposerOutput Proposer::begin_confirming(const Ballot& ballot, const nlohmann::json& value) {
  ballot_ = ballot;
  next_ = ballot;  // confirmed, the same promise serves the next operation
  ++attempts_;
  highest_seen_ = std::max(highest_seen_, ballot.counter);
  phase_ = Phase::confirming;
  promised_by_.clear();
  rejected_by_.clear();
  applied_ = apply_commands(commands_, value);
  ProposerOutput out;
  out.broadcast = Confirm{key_, ballot_};
  ++round_;
  return out;
}

bool Proposer::next_promised_by_majority() const {
  if (phase_ != Phase::done || next_.is_zero()) return false;
  return confirmed_ || learner_.accepted_count() >= majority(config_.cluster_size);
}

ProposerOutput Proposer::on_reply(std::uint32_t acceptor, const AcceptorReply& reply) {
  if (const auto* promise = std::get_if<Promise>(&reply)) return on_promise(acceptor, *promise);
  if (const auto* confirmed = std::get_if<Confirmed>(&reply)) return on_confirmed(acceptor, *confirmed);
  return on_accepted(acceptor, std::get<Accepted>(reply));
}

ProposerOutput Proposer::on_confirmed(std::uint32_t acceptor, const Confirmed& confirmed) {
  highest_seen_ = std::max(highest_seen_, confirmed.promised.counter);
  if (phase_ != Phase::confirming || confirmed.ballot != ballot_ || confirmed.key != key_) return {};
  if (promised_by_.contains(acceptor) || rejected_by_.contains(acceptor)) return {};
  const std::size_t quorum = majority(config_.cluster_size);
  if (!confirmed.ok) {
    rejected_by_.insert(acceptor);
    // Another proposer prepared a higher ballot: read the usual way (nothing was written).
    if (rejected_by_.size() == config_.cluster_size - quorum + 1)
      return fail_attempt("read not confirmed: ballot " + to_string(confirmed.promised) + " already promised");
    return {};
  }
  promised_by_.insert(acceptor);
  if (promised_by_.size() < quorum) return {};
  confirmed_ = true;
  return finish_chosen();
}

ProposerOutput Proposer::on_promise(std::uint32_t acceptor, const Promise& promise) {
  highest_seen_ = std::max(highest_seen_, promise.promised.counter);
  if (phase_ != Phase::preparing || promise.ballot != ballot_ || promise.key != key_) return {};
  if (promised_by_.contains(acceptor) || rejected_by_.contains(acceptor)) return {};
  const std::size_t quorum = majority(config_.cluster_size);
  if (!promise.ok) {
    rejected_by_.insert(acceptor);
    if (rejected_by_.size() == config_.cluster_size - quorum + 1)
      return fail_attempt("prepare rejected: ballot " + to_string(promise.promised) + " already promised");
    return {};
  }
  promised_by_.insert(acceptor);
  if (promise.accepted > highest_accepted_) {
    highest_accepted_ = promise.accepted;
    highest_value_ = promise.value;
  }
  if (promised_by_.size() < quorum) return {};
  if (recovering_) {
    // Our earlier proposal is the highest accepted: nothing was chosen above it, so proposing
    // its value again at this ballot completes it. Anything else leaves its fate unknown: it
    // may have been chosen and then built upon, or never accepted by a majority.
    const bool ours = std::find(accept_ballots_.begin(), accept_ballots_.end(), highest_accepted_) != accept_ballots_.end();
    if (!ours) return give_up(last_failure_ + ", and a later proposal overtook it");
  } else {
    applied_ = apply_commands(commands_, highest_value_);
  }
  return start_accept_phase();
}

ProposerOutput Proposer::on_accepted(std::uint32_t acceptor, const Accepted& accepted) {
  highest_seen_ = std::max(highest_seen_, accepted.promised.counter);
  if (phase_ != Phase::accepting || accepted.ballot != ballot_ || accepted.key != key_) return {};
  const Learner::Outcome outcome = learner_.on_accepted(acceptor, accepted);
  if (fast_attempt_ && outcome != Learner::Outcome::chosen) {
    // A fast attempt's promise was only presumed (another proposer may have prepared since).
    // When every acceptor proves it never accepted this proposal, nothing of it exists
    // anywhere: start over with a prepare, as if it had never been sent. While that proof is
    // still possible, wait for the other replies (or the timeout) before giving up on it.
    if (accepted.ok || accepted.accepted >= ballot_) fast_attempt_unprovable_ = true;
    else never_accepted_by_.insert(acceptor);
    if (!fast_attempt_unprovable_ && never_accepted_by_.size() == config_.cluster_size) return restart_unsent();
    if (outcome == Learner::Outcome::rejected && fast_attempt_unprovable_)
      return fail_attempt("accept rejected: ballot " + to_string(accepted.promised) + " already promised");
    return {};
  }
  switch (outcome) {
    case Learner::Outcome::undecided: return {};
    case Learner::Outcome::rejected:
      return fail_attempt("accept rejected: ballot " + to_string(accepted.promised) + " already promised");
    case Learner::Outcome::chosen: break;
  }
  return finish_chosen();
}

ProposerOutput Proposer::finish_chosen() {
  phase_ = Phase::done;
  ProposerOutput out;
  ProposerResult result;
  result.chosen = true;
  result.definite = true;
  result.each = applied_.each;
  out.done = std::move(result);
  return out;
}

ProposerOutput Proposer::on_timeout() {
  if (phase_ == Phase::preparing) return fail_attempt("no majority of promises in time");
  if (phase_ == Phase::confirming) return fail_attempt("no majority confirmed the read in time");
  if (phase_ != Phase::accepting) return {};
  if (attempts_ >= config_.max_attempts) return fail_attempt("no majority of accepts in time");
  // Messages were lost or acceptors were down: ask again at the same ballot. Acceptors that
  // already accepted answer the same; the learner still counts their earlier accepts.
  ++attempts_;
  ++round_;
  ProposerOutput out;
  out.broadcast = Accept{key_, ballot_, applied_.next, next_};
  return out;
}

ProposerOutput Proposer::fail_attempt(const std::string& why) {
  ProposerOutput out;
  if (attempts_ >= config_.max_attempts) return give_up(why + " (gave up after " + std::to_string(attempts_) + " attempts)");
  // A write or cas whose accept went out may still be chosen (a minority that accepted it can
  // carry it into a later ballot), so it must never be applied again: the next prepare only
  // looks for its own proposal (see on_promise).
  recovering_ = accept_sent_ && any_may_change(commands_);
  if (recovering_) last_failure_ = why;
  phase_ = Phase::backing_off;
  out.retry_above = highest_seen_;
  return out;
}

ProposerOutput Proposer::restart_unsent() {
  // Only a fast attempt (always the first) gets here, so no accept of this operation exists.
  accept_sent_ = false;
  recovering_ = false;
  accept_ballots_.pop_back();
  fast_attempt_ = false;
  if (attempts_ >= config_.max_attempts) return give_up("accept rejected by every acceptor");
  phase_ = Phase::backing_off;
  ProposerOutput out;
  out.retry_above = highest_seen_;
  return out;
}

ProposerOutput Proposer::give_up(const std::string& why) {
  ProposerOutput out;
  phase_ = Phase::done;
  ProposerResult result;
  result.chosen = false;
  // Reads change nothing; a write or cas is certainly not applied only if no accept went out.
  result.definite = !accept_sent_ || !any_may_change(commands_);
  result.error = accept_sent_ && any_may_change(commands_)
                     ? why + "; the accept was sent, so the outcome is unknown"
                     : why;
  out.done = std::move(result);
  return out;
}

}  // namespace faultline::paxos
