// The Paxos proposer for one client operation, or a batch of them on one key (CASPaxos; see
// register_command.h for what a batch applies): prepare(ballot) to every acceptor;
// on a majority of promises apply the command to the value with the highest accepted ballot;
// accept(ballot, new value) to every acceptor; done when its learner sees a quorum accept.
// A rejected or timed-out attempt asks its caller for a higher ballot (the caller waits a
// randomized backoff first); after `max_attempts` it gives up. A write or cas whose accept
// was rejected is never applied again (it may already be chosen): its retry only checks
// whether its own proposal is still the highest accepted, and if so completes it; otherwise
// the outcome is unknown (definite: false).
//
// One round trip when it can (CASPaxos's optimization): every accept also carries the prepare
// of a `next` ballot the caller supplies. When a majority accepted, they all promised `next`
// with the new value as their accepted one, so the caller may start its next operation on the
// key with begin_accepting(next, that value, ...), skipping the prepare round. If another
// proposer prepared a higher ballot meanwhile, that accept is rejected and the attempt falls
// back to a full prepare.
//
// Pure (STYLE principle 1): no sockets, no clock. The caller sends `broadcast` to every
// acceptor, feeds replies and timeouts back in, and persists ballot reservations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../bugs.h"
#include "../operation_result.h"
#include "learner.h"
#include "messages.h"
#include "register_command.h"

namespace faultline::paxos {

struct ProposerConfig {
  std::size_t cluster_size = 3;
  int max_attempts = 5;
  bundled::Bug bug = bundled::Bug::none;
};

// The outcome of the whole batch: chosen (every command took effect, in order) or failed (all
// of them alike).
struct ProposerResult {
  bool chosen = false;
  bool definite = false;      // failed: true when no command certainly took effect
  std::string error;          // failed: why, for people
  std::vector<Applied> each;  // chosen: per command, in order
  bundled::OperationResult command(std::size_t i) const;
};

struct ProposerOutput {
  std::optional<AcceptorRequest> broadcast;   // send to every acceptor
  std::optional<std::uint64_t> retry_above;   // wants begin() with a ballot counter above this
  std::optional<ProposerResult> done;
};

class Proposer {
 public:
  Proposer(const ProposerConfig& config, std::string key, std::vector<RegisterCommand> commands);
  Proposer(const ProposerConfig& config, std::string key, RegisterCommand command)
      : Proposer(config, std::move(key), std::vector<RegisterCommand>{std::move(command)}) {}

  // Starts an attempt with `ballot` (first attempt, or a retry after retry_above); its accept
  // will carry the prepare of `next` (zero: none; else above `ballot`).
  ProposerOutput begin(const Ballot& ballot, const Ballot& next = {});
  // Starts the first attempt in the accept phase at `ballot`, whose promise a majority gave
  // with `value` as their highest accepted (see next_promised_by_majority of the operation
  // before); its accept carries the prepare of `next`.
  ProposerOutput begin_accepting(const Ballot& ballot, const nlohmann::json& value, const Ballot& next);
  // Starts a batch of reads as a confirmation (messages.h, Confirm): `ballot` a majority promised
  // with `value` chosen just before (a fast path). When a majority confirm, the reads answer
  // `value` and the fast path stays valid (next_ballot() is `ballot` again); when they cannot,
  // the attempt asks for a higher ballot and continues as usual.
  ProposerOutput begin_confirming(const Ballot& ballot, const nlohmann::json& value);
  // Starts the first attempt from a fast path (`ballot` a majority promised with `value`): a
  // batch of reads only confirms it; any other goes straight to accept(ballot), carrying the
  // prepare of the ballot `next_ballot` returns (called only then: reserving one has a cost).
  ProposerOutput begin_fast(const Ballot& ballot, const nlohmann::json& value,
                            const std::function<Ballot()>& next_ballot);
  bool reads_only() const { return !any_may_change(commands_); }
  // Done by a majority's confirmation: nothing was accepted for it.
  bool confirmed() const { return confirmed_; }
  // Done and chosen with a majority of accepts, each of which promised the `next` ballot of
  // this attempt: the caller may use begin_accepting(next_ballot(), value_after(), ...) next.
  bool next_promised_by_majority() const;
  const Ballot& next_ballot() const { return next_; }
  // The register's value once this operation is applied (valid when done and not failed).
  const nlohmann::json& value_after() const { return applied_.next; }
  ProposerOutput on_reply(std::uint32_t acceptor, const AcceptorReply& reply);
  // The replies to the last broadcast took too long. In the accept phase the accept is sent
  // again at the same ballot (safe: acceptors treat it as the same proposal), counting as an
  // attempt; in the prepare phase the attempt fails and asks for a higher ballot.
  ProposerOutput on_timeout();

  enum class Phase { idle, preparing, accepting, confirming, backing_off, done };
  Phase phase() const { return phase_; }
  const Ballot& ballot() const { return ballot_; }
  int attempts() const { return attempts_; }
  // Counts broadcasts; the caller arms one timeout per round and ignores stale ones.
  int round() const { return round_; }
  const std::string& key() const { return key_; }

  static std::size_t majority(std::size_t cluster_size) { return cluster_size / 2 + 1; }

 private:
  ProposerOutput on_promise(std::uint32_t acceptor, const Promise& promise);
  ProposerOutput on_accepted(std::uint32_t acceptor, const Accepted& accepted);
  ProposerOutput on_confirmed(std::uint32_t acceptor, const Confirmed& confirmed);
  ProposerOutput finish_chosen();
  // Sends accept(ballot_, applied_.next, next_) to every acceptor.
  ProposerOutput start_accept_phase();
  ProposerOutput fail_attempt(const std::string& why);
  ProposerOutput give_up(const std::string& why);
  // A fast attempt every acceptor proved it never accepted: try again from a prepare.
  ProposerOutput restart_unsent();

  ProposerConfig config_;
  std::string key_;
  std::vector<RegisterCommand> commands_;
  Phase phase_ = Phase::idle;
  Ballot ballot_;
  Ballot next_;
  int attempts_ = 0;
  int round_ = 0;
  bool accept_sent_ = false;       // once true, a failed write or cas is never definite
  bool fast_attempt_ = false;      // this attempt began in the accept phase (begin_accepting)
  std::set<std::uint32_t> never_accepted_by_;  // fast attempt: acceptors proven not to have accepted it
  bool fast_attempt_unprovable_ = false;       // fast attempt: some acceptor accepted it, or may have
  bool confirmed_ = false;         // a read-only batch answered by a majority's confirmation
  bool recovering_ = false;        // retrying a write or cas only to complete its own proposal
  std::string last_failure_;
  std::vector<Ballot> accept_ballots_;  // the ballots this proposer sent accepts with
  std::uint64_t highest_seen_ = 0; // highest ballot counter any acceptor reported
  std::set<std::uint32_t> promised_by_;
  std::set<std::uint32_t> rejected_by_;
  Ballot highest_accepted_;
  nlohmann::json highest_value_;
  BatchApplied applied_;
  Learner learner_;
};

}  // namespace faultline::paxos
