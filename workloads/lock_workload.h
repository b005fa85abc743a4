// The lock workload (Jepsen's point about etcd's locks): clients take one named lock and, while
// holding it, read a set, add their unique element and write the set back, then release the
// lock. A lock with a lease can have two holders at once: one that stalled past its lease (a
// paused or partitioned node, a slow request) still believes it holds the lock when the next
// one takes it. Without fencing its late write overwrites the newer holder's and loses its
// element; with fencing the late write is refused.
//
// Every drawn op (f "add", value: a unique integer) is three ops of one process in the history:
//   acquire  value: the lock's name; ok: the grant's fence
//   add      value: the element; ok once the set was written with it
//   release  value: the lock's name
// An acquire that fails ends the op (nothing was written); one whose outcome is unknown retires
// the process, as does an unknown add or release (Jepsen's rule). The set lives in one key as
// {"fence": F, "elements": [...]}, F the fence of the holder that wrote it; reads (the final
// reads from every node) answer the elements.
//
// Checkers: the set checker (lost updates: the verdict) and the lock holders checker (how
// often holders overlapped: reported, not a verdict by itself).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "workload.h"

namespace faultline {

inline constexpr const char* lock_name = "lock";
inline constexpr const char* lock_set_key = "locked-set";
// The lease of every grant: how long a lock holds without its holder. Long enough for a
// critical section of three requests; short enough that a holder stalled by a fault loses it.
inline constexpr std::int64_t lock_lease_ms = 2'000;

// `fencing`: "none" (a plain write under the lock, as a naive user writes it) or "token"
// (KvClient::write_fenced: refused once the grant no longer holds).
std::unique_ptr<Workload> make_lock_workload(const std::string& fencing);

}  // namespace faultline
