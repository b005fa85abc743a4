// Partitions and packet loss on the hosts of a --hosts run, planned purely (STYLE principle 7):
// the iptables commands that hosts_network.h sends over SSH.
//
// Each host gets a chain of its own, `faultline`, jumped to first from INPUT while the run
// lasts. Traffic from host A to host B is governed by B's chain, by A's source address: a cut
// link is DROP, loss is DROP with the `statistic` match (no netem: no delay). Only the other
// hosts' addresses are ever matched, so the controller's own connections (SSH, clients) are
// never cut; the rest of the host's firewall is never touched. The chain is replaced whole
// (iptables-restore --noflush) on every change to the links into that host, and removed at
// the end.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "proxy/link_state.h"

namespace faultline::hosts {

inline constexpr const char* firewall_chain = "faultline";

// Creates the chain (empty) and the jump to it from INPUT; idempotent (a chain left by a run
// that died is emptied and jumped to once).
std::string install_firewall_command();
// Removes the jump and the chain; succeeds when they are not there.
std::string remove_firewall_command();
// The chain's new contents for iptables-restore --noflush, given the state of every link into
// the host as (source address, state); open links add no rule.
std::string firewall_chain_rules(const std::vector<std::pair<std::string, proxy::LinkState>>& links_into_host);
// The command that loads firewall_chain_rules read from its standard input.
std::string load_firewall_command();

// What is wrong with `state` on hosts (latency and jitter: no netem); empty when it can be done.
std::string unsupported_on_hosts(const proxy::LinkState& state);

}  // namespace faultline::hosts
