// Every limit of the link proxies in one place (STYLE principle 10), with how they relate.
#pragma once

#include <cstddef>
#include <cstdint>

namespace faultline::proxy {

// One read from a socket forwards at most this much; delay and loss apply per chunk.
inline constexpr std::size_t chunk_bytes_max = 16 * 1024;
// Bytes a direction of one connection holds while they wait for their delivery time or for a
// cut to heal. Past this the proxy stops reading, and TCP flow control stalls the sender.
inline constexpr std::size_t held_bytes_max = 256 * 1024;
// A connection made while its link is cut waits without reaching the peer (as a SYN does under
// a DROP rule); what its client sends meanwhile is kept, up to this much, and delivered on heal.
inline constexpr std::size_t pending_bytes_max = 64 * 1024;
// Loss on a TCP link is retransmission: a lost chunk arrives one retransmission timeout later
// (Linux's TCP_RTO_MIN), and each further loss of the same chunk doubles it, as TCP backs off.
inline constexpr std::int64_t retransmission_timeout_ms = 200;
// A chunk is lost at most this often before it gets through (200 ms * (2^6 - 1) = 12.6 s).
inline constexpr int retransmissions_max = 6;
// Latency and jitter a link may be given.
inline constexpr std::int64_t link_latency_ms_max = 60'000;
// Connecting to the real peer gives up after this long; the client's connection is then closed.
inline constexpr std::int64_t upstream_connect_timeout_ms = 2'000;
// A control call (set_link_states, heal_all) waits this long for the proxy thread to apply it
// before it reports the proxy as stuck. Applying takes microseconds.
inline constexpr std::int64_t control_apply_timeout_ms = 5'000;

static_assert(chunk_bytes_max <= held_bytes_max, "a direction must hold at least one chunk");
static_assert(chunk_bytes_max <= pending_bytes_max, "a pending connection must keep at least one chunk");
static_assert(retransmission_timeout_ms * ((1 << retransmissions_max) - 1) < link_latency_ms_max,
              "the worst loss delay stays within the largest configurable latency");

}  // namespace faultline::proxy
