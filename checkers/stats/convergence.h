// The convergence check: once every fault is healed and the recovery phase is over, does every
// node hold the same value for each key? `faultline test` reads every key once from every node
// after its clients stopped (the final reads); a replica that never caught up — a quorum system
// without read repair, a member that missed a snapshot — answers differently from the others,
// even when each answer alone is linearizable.
//
// Final reads: the ok reads that carry a node (Op::node) and were invoked after every other
// client operation on their key had completed. Values are compared as JSON.
//
// Verdict:
//   valid    every key read by two or more nodes got one value from all of them
//   invalid  some key got different values from different nodes, and no write whose outcome is
//            unknown (info) could explain it
//   unknown  no key was read by two nodes (no final reads: an interrupted run), or every
//            disagreement involves the value of a write whose outcome is unknown (it may still
//            have been landing between two final reads)
// A history in which no operation names its node (other tools' histories) cannot be checked:
// check_convergence returns nullopt and the check is left out.
// Details: "keys" (compared), "agreeing", "unanswered_keys" (read by fewer than two nodes),
// "disagreeing": [{"key", "reads": [{"node", "value", "index"}], "explained_by_unknown_write"}],
// "reason" for people.
#pragma once

#include <optional>

#include "history/history.h"
#include "verdict.h"

namespace faultline {

std::optional<CheckResult> check_convergence(const History& history);

}  // namespace faultline
