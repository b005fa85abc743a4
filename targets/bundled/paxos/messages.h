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

// Phase 2a: "accept `value` at `ballot`".
struct Accept {
  std::string key;
  Ballot ballot;
  nlohmann::json value;
};

// Phase 2b. ok: accepted. Not ok: rejected, `promised` is the higher ballot already promised.
struct Accepted {
  std::string key;
  Ballot ballot;
  bool ok = false;
  Ballot promised;
};

using AcceptorRequest = std::variant<Prepare, Accept>;
using AcceptorReply = std::variant<Promise, Accepted>;

}  // namespace faultline::paxos
