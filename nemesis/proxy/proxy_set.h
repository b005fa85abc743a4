// User-space TCP proxies, one for every directed link between the nodes of a cluster on
// loopback: node A reaches peer B through listener P(A->B) on 127.0.0.1, which forwards to B's
// real address. Cutting, delaying or slowing a link changes only what the proxies do; the
// nodes and the kernel's firewall are untouched, so no privileges are needed and healing is
// always possible.
//
// What a connection through P(A->B) sees (bytes A->B follow link A->B; replies B->A follow
// link B->A, the way TCP segments and their answers cross the two directions):
//  - open: bytes are forwarded as they come, TCP_NODELAY on both sockets.
//  - cut, for a connection made during the cut: accepted (the listener cannot refuse
//    selectively) but not connected to B, as a SYN dropped by iptables never reaches B. What
//    A sends waits in the proxy; if A gives up and closes first, nothing ever reaches B. When
//    both directions are open again, the proxy connects to B and delivers what A sent.
//  - cut, for an established connection: the direction's bytes are held, in order, neither
//    delivered nor answered, so A sees a timeout as with a DROP rule. On heal they are
//    delivered (as TCP's retransmissions would be), followed by anything A sent after, and
//    A's close if it closed. Nothing is ever reset by a cut.
//  - latency, jitter, loss: per chunk read, see LinkState. Order is always kept.
// Where this differs from iptables DROP: a connection made during a cut is accepted at once
// (the client's connect succeeds and its request then times out, instead of the connect
// timing out); a client that resets its connection during a cut has the peer side closed at
// once (a FIN the cut does not hold). Neither matters for node-to-node traffic, whose callers
// treat every timeout and close alike; clients of the harness do not go through proxies.
// Each direction holds at most held_bytes_max (proxy_limits.h); beyond that the proxy stops
// reading and TCP flow control stalls the sender.
//
// One thread runs every socket. Control calls are thread-safe (not from the proxy thread,
// which never calls out) and take effect on the proxy thread before they return.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <vector>

#include "link_state.h"

namespace faultline::proxy {

struct ProxyNode {
  std::string id;
  std::uint16_t port = 0;  // the node's real port on 127.0.0.1
};

struct ProxyStatistics {
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_established = 0;  // connected through to the peer
  std::uint64_t connections_open = 0;          // accepted and not yet closed
  std::uint64_t bytes_delivered = 0;
  // Sockets on which TCP_NODELAY could not be set or did not read back as set. Zero, or
  // every request pays Nagle's and delayed ACK's ~40 ms.
  std::uint64_t sockets_without_nodelay = 0;
};

class ProxySet final : public NetworkLinks {
 public:
  // Listens on 127.0.0.1 (ports chosen by the kernel, so no race with other processes) for
  // each of the N*(N-1) directed links, every link open, and starts the proxy thread. `seed`
  // drives jitter and loss. Errors: a node id twice or empty, a port 0, a failed bind.
  static std::expected<std::unique_ptr<ProxySet>, std::string> start(const std::vector<ProxyNode>& nodes,
                                                                     std::uint64_t seed);
  // Closes every listener and connection and joins the thread.
  ~ProxySet() override;
  ProxySet(const ProxySet&) = delete;
  ProxySet& operator=(const ProxySet&) = delete;

  // The port of P(from->to), where `from` must send what is meant for `to` (its --peer).
  // Both must be nodes of the set and differ (asserted).
  std::uint16_t listen_port(const std::string& from, const std::string& to) const;
  // "127.0.0.1:PORT" of listen_port.
  std::string listen_address(const std::string& from, const std::string& to) const;

  std::string set_link_states(const std::vector<LinkChange>& changes) override;
  // One link; the same errors as set_link_states.
  std::string set_link_state(const std::string& from, const std::string& to, const LinkState& state);
  void heal_all() override;

  LinkState link_state(const std::string& from, const std::string& to) const;
  ProxyStatistics statistics() const;

  struct Impl;  // opaque: Asio stays in the .cc

 private:
  explicit ProxySet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace faultline::proxy
