// The Paxos learner: a value is chosen once a quorum of acceptors has accepted it at one
// ballot. In CASPaxos the proposer learns the outcome of its own accept phase, so each
// proposer owns a learner for its current ballot; nodes also keep the last value they learned
// per key for /status.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>

#include "messages.h"

namespace faultline::paxos {

class Learner {
 public:
  // `quorum`: accepts needed for a value to count as chosen (a majority, unless a planted bug
  // says otherwise).
  Learner(std::size_t acceptors, std::size_t quorum) : acceptors_(acceptors), quorum_(quorum) {}

  void reset(const Ballot& ballot) {
    ballot_ = ballot;
    accepted_by_.clear();
    rejected_by_.clear();
  }

  enum class Outcome { undecided, chosen, rejected };
  // Counts each acceptor once, whatever the network duplicates. `chosen` and `rejected` are
  // reported once, when the count first reaches the threshold.
  Outcome on_accepted(std::uint32_t acceptor, const Accepted& accepted) {
    if (accepted.ballot != ballot_) return Outcome::undecided;
    if (accepted_by_.contains(acceptor) || rejected_by_.contains(acceptor)) return Outcome::undecided;
    if (accepted.ok) {
      accepted_by_.insert(acceptor);
      return accepted_by_.size() == quorum_ ? Outcome::chosen : Outcome::undecided;
    }
    rejected_by_.insert(acceptor);
    return rejected_by_.size() == acceptors_ - quorum_ + 1 ? Outcome::rejected : Outcome::undecided;
  }

  std::size_t accepted_count() const { return accepted_by_.size(); }

 private:
  std::size_t acceptors_;
  std::size_t quorum_;
  Ballot ballot_;
  std::set<std::uint32_t> accepted_by_;
  std::set<std::uint32_t> rejected_by_;
};

}  // namespace faultline::paxos
