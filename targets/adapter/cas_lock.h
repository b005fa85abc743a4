// A lease lock on any store with a linearizable compare-and-set (the bundled node, a command
// target): the default lock of KvClient. The lock is one key, "lock-<name>", holding
// {"owner", "fence", "expires_ms"}; a client takes it with a cas from a free or expired value
// (null, an owner of null, or expires_ms in the past), with the next fence; it releases it with
// a cas to {"owner": null} keeping the fence. The lease is judged by the clients' clock
// (`now_ms`, injected): all clients of a run share the controller's clock, so two clients never
// disagree about an expiry, but a holder that stalls past its lease loses the lock while it
// still believes it holds it — the point of the lock workload.
//
// Fencing (write_fenced): the protected value carries the fence of the holder that wrote it
// ({"fence": F, ...}); a write is a cas from the value the holder read under the lock, refused
// when that value already carries a higher fence. A stale holder's write therefore fails
// whenever anyone wrote since it read, which is what a fencing token buys.
//
// Outcomes: as the underlying read and cas say, combined: a cas of ours whose outcome is unknown
// makes the acquisition unknown (info); waiting longer than cas_lock_wait_ms_max for a held lock
// is fail.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "kv_client.h"

namespace faultline {

// How long acquire waits for a held lock, polling it every cas_lock_poll_ms.
inline constexpr std::int64_t cas_lock_wait_ms_max = 1'000;
inline constexpr std::int64_t cas_lock_poll_ms = 5;
static_assert(cas_lock_poll_ms < cas_lock_wait_ms_max);

// The key that holds lock `name`.
std::string cas_lock_key(const std::string& name);

// `owner`: unique among the run's clients.
ClientOutcome acquire_cas_lock(KvClient& client, const std::string& name, std::int64_t lease_ms,
                               const std::string& owner, const std::function<std::int64_t()>& now_ms);
ClientOutcome release_cas_lock(KvClient& client, const nlohmann::json& grant);
ClientOutcome write_cas_fenced(KvClient& client, const std::string& key, const nlohmann::json& value,
                               const nlohmann::json& grant, const nlohmann::json& read_value);

}  // namespace faultline
