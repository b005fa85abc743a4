// Planted bugs (--bug NAME): small realistic mistakes, off by default, that the checkers
// should catch. README.md says which anomaly each one causes.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace faultline::bundled {

enum class Bug {
  none,
  paxos_reply_before_persist,    // acceptor replies, then writes its state in the background
  paxos_promise_drops_accepted,  // a promise forgets to carry the accepted (ballot, value)
  paxos_minority_accept,         // the proposer commits with floor(N/2) accepts
  quorum_local_read,             // reads answer from the local replica only
  // --proposers leader: a leader stays passed over while a forward older than the slow limit
  // hangs (the rule before commit b30b6ce), so a healed leader is not tried again for as long
  // as forwards from before the heal take to time out.
  paxos_healed_leader_passed_over,
  // A transaction commits each of its keys in a consensus instance of its own, one after another.
  paxos_txn_split,
  paxos_skip_fsync,  // the acceptor's log is written (to the page cache) but never fsynced
  // A damaged log (a flipped bit, acknowledged records cut off) is taken for a torn last write:
  // the node keeps the records before the damage and votes with them.
  trust_damaged_log,
};

struct BugInfo {
  Bug bug;
  std::string_view name;
  std::string_view effect;
};

inline constexpr BugInfo bug_infos[] = {
    {Bug::paxos_reply_before_persist, "paxos-reply-before-persist",
     "acceptor replies before its promise/accept is durable; kill -9 forgets them (lost or changed values)"},
    {Bug::paxos_promise_drops_accepted, "paxos-promise-drops-accepted",
     "promises carry no accepted value, so a new proposer overwrites a chosen value (lost writes, stale reads)"},
    {Bug::paxos_minority_accept, "paxos-minority-accept",
     "a value counts as chosen after floor(N/2) accepts, so two proposers both commit (lost writes)"},
    {Bug::quorum_local_read, "quorum-local-read",
     "quorum reads answer from the local replica only (stale reads)"},
    {Bug::paxos_healed_leader_passed_over, "paxos-healed-leader-passed-over",
     "a healed leader is passed over while forwards from before the heal hang, so nodes propose for themselves "
     "and duel (failed operations after a partition heals; safety is unaffected)"},
    {Bug::paxos_txn_split, "paxos-txn-split",
     "a transaction commits each key in a consensus instance of its own, so other transactions see part of it "
     "(G-single, G2-item: not serializable)"},
    {Bug::paxos_skip_fsync, "paxos-skip-fsync",
     "acceptor state is written but not fsynced before the reply; kill -9 keeps it (the page cache survives), "
     "a power loss forgets it (lost writes under --nemesis power-loss only)"},
    {Bug::trust_damaged_log, "trust-damaged-log",
     "a node whose log was damaged (--nemesis corrupt: flipped bits, acknowledged records cut off) keeps the "
     "records before the damage and votes, forgetting promises and accepts it made (lost writes)"},
};

inline std::optional<Bug> parse_bug(std::string_view name) {
  if (name == "none" || name.empty()) return Bug::none;
  for (const BugInfo& info : bug_infos)
    if (info.name == name) return info.bug;
  return std::nullopt;
}

// Whether the bug named `name` applies to the protocol: "paxos-..." to paxos, "quorum-..." to
// quorum, any other (trust-damaged-log: the storage both share) to both.
inline bool bug_applies_to(std::string_view name, bool paxos) {
  if (name.starts_with("paxos-")) return paxos;
  if (name.starts_with("quorum-")) return !paxos;
  return true;
}

inline std::string_view bug_name(Bug bug) {
  for (const BugInfo& info : bug_infos)
    if (info.bug == bug) return info.name;
  return "none";
}

}  // namespace faultline::bundled
