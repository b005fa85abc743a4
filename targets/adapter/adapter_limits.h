// Every limit of the target adapter in one place (STYLE principle 10), with how they relate.
#pragma once

#include <cstddef>
#include <cstdint>

namespace faultline {

// A client request to a node gives up after this long and records `info`: the node may still
// apply it (it works on one operation for up to 15 s, node/limits.h client_timeout_hint_ms).
inline constexpr std::int64_t request_timeout_ms = 2'000;
// Establishing the TCP connection gives up after this long. Nothing was sent, so `fail`.
inline constexpr std::int64_t connect_timeout_ms = 500;

// Starting a cluster: every node must answer GET /health within this long.
inline constexpr std::int64_t node_start_timeout_ms = 15'000;
// One GET /health while waiting for a node to come up.
inline constexpr std::int64_t health_request_timeout_ms = 250;
// Pause between two health polls of the same node.
inline constexpr std::int64_t health_poll_interval_ms = 20;
// Stopping: after SIGTERM a node gets this long to exit before SIGKILL.
inline constexpr std::int64_t node_stop_grace_ms = 3'000;
// Free ports are found by binding port 0 and closing the socket, so another process can take
// one before the node binds it (exit code 4). Starting the cluster is retried this often with
// fresh ports: every node's --peer flags name every port, so all nodes start again.
inline constexpr int cluster_start_attempts_max = 3;
// Setting a node's clock offset (the clock nemesis) gives up after this long: a paused node
// does not answer, and the nemesis must not stall its schedule on it.
inline constexpr std::int64_t clock_request_timeout_ms = 500;
// How much of a node's log a TargetError quotes.
inline constexpr std::size_t log_tail_bytes_max = 2'000;
// How long pause waits for every thread of a node to have stopped after SIGSTOP.
inline constexpr std::int64_t pause_settle_ms_max = 1'000;
// The bundled node is tested with up to this many nodes (node/limits.h cluster_nodes_planned_max).
inline constexpr int bundled_nodes_max = 9;

// A faultline-lazyfs mount (the power-loss nemesis's disk) must serve within this long of its
// start, and its daemon exit within this long of SIGTERM (then the mount is detached).
inline constexpr std::int64_t lazyfs_mount_timeout_ms = 5'000;
inline constexpr std::int64_t lazyfs_unmount_grace_ms = 3'000;
// Polling for a mount to appear.
inline constexpr std::int64_t lazyfs_mount_poll_ms = 10;

static_assert(lazyfs_mount_poll_ms < lazyfs_mount_timeout_ms);
static_assert(connect_timeout_ms < request_timeout_ms, "a request includes its connect");
static_assert(health_request_timeout_ms + health_poll_interval_ms < node_start_timeout_ms,
              "a node must get several health polls before its start deadline");
static_assert(request_timeout_ms < 15'000, "clients give up before the node does (node client_timeout_hint_ms)");
static_assert(cluster_start_attempts_max >= 1);

}  // namespace faultline
