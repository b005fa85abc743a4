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
// Paxos: the most client operations on one key that one consensus instance takes (the ones
// that arrived while the key's previous instance ran; paxos/key_queues.h).
inline constexpr std::size_t paxos_batch_commands_max = 64;
// Paxos: the longest one consensus instance (a batch) runs once started: every attempt a
// prepare round and an accept round, plus its backoff.
inline constexpr std::int64_t paxos_batch_ms_max =
    paxos_attempts_max * (2 * attempt_timeout_ms + backoff_max_ms * paxos_attempts_max);
// Paxos: a client operation whose batch has not started this long after it arrived is not
// started at all; it answers 503 `definite: true`. So no operation runs longer than
// key_queue_wait_ms_max + paxos_batch_ms_max after it reached the proposer.
inline constexpr std::int64_t key_queue_wait_ms_max = 1'000;
// --proposers leader: a forwarded operation waits this long for the leader's answer, which
// covers anything the leader may do with it; then it answers "outcome unknown". Connecting to
// the leader gives up sooner: nothing was sent, so the next candidate gets it.
inline constexpr std::int64_t forward_request_timeout_ms = key_queue_wait_ms_max + paxos_batch_ms_max + 500;
inline constexpr std::int64_t forward_connect_timeout_ms = 500;
// A leader is passed over for leader_suspicion_ms when a forward got no answer from it, or has
// waited leader_slow_ms for one (paxos/leader_choice.h).
inline constexpr std::int64_t leader_suspicion_ms = 1'000;
inline constexpr std::int64_t leader_slow_ms = 1'000;
// Quorum: sends of one phase (the first and the resends).
inline constexpr int quorum_rounds_max = 3;
// How long a node may work on one operation at most: a client that waits this long never
// leaves an operation running behind it (a paused node excepted: it resumes what it was
// doing). Clients may give up sooner and record `info`.
inline constexpr std::int64_t client_timeout_hint_ms = 15'000;
// Paxos: threads that wait for the disk before this node's own acceptor's replies go to its
// proposers (the waits share fsyncs, group commit): as many as client operations may run at
// once on a busy node, so that no reply waits behind another's fsync.
inline constexpr std::size_t own_acceptor_threads = 16;
// paxos-reply-before-persist: how long after its reply the acceptor's state reaches the disk.
inline constexpr std::int64_t buggy_persist_lag_ms = 100;

inline constexpr std::size_t key_bytes_max = 256;
// POST /txn: the most micro-operations in one transaction.
inline constexpr std::size_t txn_micro_ops_max = 64;
inline constexpr std::size_t request_body_bytes_max = 1u << 20;
// cpp-httplib gives each open connection a thread for as long as it is kept alive, so the
// pool must hold every peer's connections plus the clients', and every client's operation
// forwarded by the other nodes (each holds a connection while it runs).
inline constexpr std::size_t http_server_threads = 384;
inline constexpr std::size_t peer_connections_max = 8;  // keep-alive connections to each peer
// The server closes a connection idle this long; a node reuses its connection to a peer only if
// it has been idle less long, so that a request never races the server's close (which would
// leave a forwarded operation's outcome unknown).
inline constexpr std::int64_t http_keep_alive_timeout_s = 10;
inline constexpr std::int64_t peer_connection_idle_s_max = 5;
// Paxos: the most acceptor requests one call to a peer carries (peer_client.h), and the
// connections to each peer they share. Few connections make requests queue up and go as one
// batch with one fsync: with 2, faultline-node-bench carried about 5,200 operations per second
// on 100 keys, with 8 about 3,600 (measured 2026-11-29, 16 clients).
inline constexpr std::size_t peer_batch_requests_max = 64;
// A batch stops growing at this many bytes, well below what a peer accepts in one request.
inline constexpr std::size_t peer_batch_bytes_max = 256u << 10;
inline constexpr std::size_t paxos_peer_connections = 2;
inline constexpr std::size_t cluster_nodes_planned_max = 9;
inline constexpr std::size_t clients_planned_max = 128;
inline constexpr std::size_t status_keys_shown_max = 20;

static_assert(peer_request_timeout_ms < attempt_timeout_ms, "a peer call must fit in an attempt");
static_assert(paxos_batch_ms_max + key_queue_wait_ms_max < forward_request_timeout_ms,
              "a forward outwaits what the leader may do with the operation");
static_assert(forward_request_timeout_ms < client_timeout_hint_ms,
              "a forwarded operation answers before a patient client gives up");
static_assert(forward_connect_timeout_ms < forward_request_timeout_ms, "a request includes its connect");
static_assert(peer_batch_bytes_max < request_body_bytes_max / 2, "batches stay far below what a peer accepts");
static_assert(2 * quorum_rounds_max * attempt_timeout_ms < client_timeout_hint_ms,
              "a quorum operation (read phase, write phase) must answer before a patient client gives up");
static_assert(buggy_persist_lag_ms < attempt_timeout_ms, "the planted lag must be short enough to go unnoticed");
static_assert(peer_connection_idle_s_max < http_keep_alive_timeout_s, "a peer's connection is dropped before the server closes it");
static_assert(paxos_peer_connections <= peer_connections_max, "the server threads are counted with peer_connections_max");
static_assert(http_server_threads >= cluster_nodes_planned_max * peer_connections_max + 2 * clients_planned_max,
              "every peer connection and client connection must find a server thread");

}  // namespace faultline::node
