// What the network does to one directed link (traffic from one node to another), and the
// control surface the network appliers need: set links, heal everything. The link proxies
// (proxy_set.h) implement it over real sockets; tests of appliers implement it in memory.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace faultline::proxy {

struct LinkState {
  // Black hole: bytes from `from` to `to` are held, never delivered while the cut lasts, and
  // no new connection reaches `to`. Delivered in order once the link heals (TCP retransmits
  // through a DROP rule the same way).
  bool cut = false;
  // Every chunk arrives this much later, plus a uniform draw from [0, jitter_ms]. Order is kept.
  std::int64_t latency_ms = 0;
  std::int64_t jitter_ms = 0;
  // Chance that a chunk is "lost": it then arrives a TCP retransmission timeout later (see
  // proxy_limits.h). A TCP proxy cannot drop one packet; the sender's TCP would resend it, so
  // loss shows up to the application as delay, never as missing bytes or a reset.
  double loss_probability = 0;

  bool operator==(const LinkState&) const = default;
};

// A fully working link.
inline constexpr LinkState link_open{};

// What is wrong with `state`, for the user (negative or too large latency, a probability
// outside [0, 1)); empty when usable.
std::string validate_link_state(const LinkState& state);

struct LinkChange {
  std::string from;
  std::string to;
  LinkState state;
};

class NetworkLinks {
 public:
  virtual ~NetworkLinks() = default;
  // Every change takes effect together, before this returns. Links not named keep their
  // state. Errors (returned, nothing changed): an unknown node, a link from a node to itself,
  // an invalid state.
  virtual std::string set_link_states(const std::vector<LinkChange>& changes) = 0;
  // Every link open again (no cut, no delay); held bytes flow. Before this returns.
  virtual void heal_all() = 0;
};

}  // namespace faultline::proxy
