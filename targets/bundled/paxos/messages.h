// The messages between Paxos proposers and acceptors. Every message names its key: each key is
// an independent register with its own consensus instances (CASPaxos).
#pragma once

#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "ballot.h"

namespace faultline::paxos {

// Phase 1a: "promise to ignore ballots below `ballot` and tell me what you accepted".
struct Prepare {
  std::string key;
  Ballot ballot;
};

// Phase 1b. ok: a promise for `ballot`, carrying the highest accepted (ballot, value) (zero
// ballot and null when nothing was accepted). Not ok: rejected, `promised` is the higher
// ballot already promised.
struct Promise {
  std::string key;
  Ballot ballot;
  bool ok = false;
  Ballot promised;
  Ballot accepted;
  nlohmann::json value;
};

// Phase 2a: "accept `value` at `ballot`". With a nonzero `next` (above `ballot`) it also
// carries the prepare of the proposer's next ballot (CASPaxos's one-round-trip optimization):
// an acceptor that accepts promises `next` in the same durable step, so a majority of accepts
// is also a majority of promises for `next` whose highest accepted value is `value`, and the
// proposer's next operation on the key may go straight to accept(next).
struct Accept {
  std::string key;
  Ballot ballot;
  nlohmann::json value;
  Ballot next;
};

// Phase 2b. ok: accepted. Not ok: rejected, `promised` is the higher ballot already promised,
// and `accepted` the ballot the acceptor has accepted: below `ballot`, it proves this acceptor
// never accepted the proposal (accepted ballots only grow).
struct Accepted {
  std::string key;
  Ballot ballot;
  bool ok = false;
  Ballot promised;
  Ballot accepted;
};

// A read's confirmation (no phase of classic Paxos; the role of Raft's ReadIndex): "have you
// promised any ballot above `ballot`?". The proposer holds a fast path: a majority promised
// `ballot` with the value just chosen as their accepted one. A majority answering no proves no
// other proposer has changed the register since (it would have needed a majority of promises
// above `ballot`), so that value is still current: a read-only batch answers from it without
// writing anything. Acceptors persist nothing for it.
struct Confirm {
  std::string key;
  Ballot ballot;
};

// ok: this acceptor has promised nothing above `ballot`; `promised` is what it has promised.
struct Confirmed {
  std::string key;
  Ballot ballot;
  bool ok = false;
  Ballot promised;
};

using AcceptorRequest = std::variant<Prepare, Accept, Confirm>;
using AcceptorReply = std::variant<Promise, Accepted, Confirmed>;

}  // namespace faultline::paxos
