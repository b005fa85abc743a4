// A counter that never hands out the same value twice, even across a crash: values above the
// reservation must be persisted as a new reservation before one of them leaves the node, and a
// restarted node resumes from the reservation it persisted. Paxos ballots and quorum
// timestamps are both made from one (paxos/ballot.h, quorum/versioned.h).
#pragma once

#include <algorithm>

namespace faultline::bundled {

template <typename Counter>
class ReservedCounter {
 public:
  explicit ReservedCounter(Counter reserved) : last_(reserved), reserved_(reserved) {}

  struct Issued {
    Counter value;
    Counter reserve = 0;  // nonzero: persist this reservation before `value` leaves the node
  };
  // A value above every one issued so far and at least `at_least`; past the reservation it
  // reserves `block` more.
  Issued issue(Counter at_least, Counter block) {
    last_ = std::max<Counter>(last_ + 1, at_least);
    Issued issued{last_, 0};
    if (last_ > reserved_) {
      reserved_ = last_ + block;
      issued.reserve = reserved_;
    }
    return issued;
  }
  Counter reserved() const { return reserved_; }

 private:
  Counter last_;
  Counter reserved_;
};

}  // namespace faultline::bundled
