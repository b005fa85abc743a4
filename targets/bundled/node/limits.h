// Every limit of faultline-node in one place (STYLE principle 10), with how they relate.
#pragma once

#include <cstddef>
#include <cstdint>

namespace faultline::node {

// A call to one peer (prepare, accept, replica read/write) gives up after this long.
inline constexpr std::int64_t peer_request_timeout_ms = 800;
// One round of messages (a Paxos prepare or accept, a quorum read or write, or a resend)
// waits this long for replies.
inline constexpr std::int64_t attempt_timeout_ms = 1'000;
// Randomized backoff before a Paxos retry: uniform in [0, backoff_max_ms * attempt].
inline constexpr std::int64_t backoff_max_ms = 50;
// Paxos: prepares with a new ballot and accepts sent again, together.
inline constexpr int paxos_attempts_max = 5;
// Quorum: sends of one phase (the first and the resends).
inline constexpr int quorum_rounds_max = 3;
// How long a node may work on one operation at most: a client that waits this long never
// leaves an operation running behind it. Clients may give up sooner and record `info`.
inline constexpr std::int64_t client_timeout_hint_ms = 12'000;
// paxos-reply-before-persist: how long after its reply the acceptor's state reaches the disk.
inline constexpr std::int64_t buggy_persist_lag_ms = 100;

inline constexpr std::size_t key_bytes_max = 256;
inline constexpr std::size_t request_body_bytes_max = 1u << 20;
// cpp-httplib gives each open connection a thread for as long as it is kept alive, so the
// pool must hold every peer's connections plus the clients'.
inline constexpr std::size_t http_server_threads = 256;
inline constexpr std::size_t peer_connections_max = 8;  // keep-alive connections to each peer
inline constexpr std::size_t cluster_nodes_planned_max = 9;
inline constexpr std::size_t clients_planned_max = 128;
inline constexpr std::size_t status_keys_shown_max = 20;

static_assert(peer_request_timeout_ms < attempt_timeout_ms, "a peer call must fit in an attempt");
// Each Paxos attempt is at most a prepare round and an accept round, plus its backoff.
static_assert(paxos_attempts_max * (2 * attempt_timeout_ms + backoff_max_ms * paxos_attempts_max) <
                  client_timeout_hint_ms,
              "a Paxos operation must answer before a patient client gives up");
static_assert(2 * quorum_rounds_max * attempt_timeout_ms < client_timeout_hint_ms,
              "a quorum operation (read phase, write phase) must answer before a patient client gives up");
static_assert(buggy_persist_lag_ms < attempt_timeout_ms, "the planted lag must be short enough to go unnoticed");
static_assert(http_server_threads >= cluster_nodes_planned_max * peer_connections_max + clients_planned_max,
              "every peer connection and client connection must find a server thread");

}  // namespace faultline::node
