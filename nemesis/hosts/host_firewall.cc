#include "host_firewall.h"

#include <sstream>

namespace faultline::hosts {

std::string install_firewall_command() {
  const std::string chain = firewall_chain;
  // -w: wait for the xtables lock rather than fail when something else holds it.
  return "iptables -w 5 -N " + chain + " 2>/dev/null; iptables -w 5 -F " + chain + " && { iptables -w 5 -C INPUT -j " +
         chain + " 2>/dev/null || iptables -w 5 -I INPUT 1 -j " + chain + "; }";
}

std::string remove_firewall_command() {
  const std::string chain = firewall_chain;
  return "while iptables -w 5 -D INPUT -j " + chain + " 2>/dev/null; do :; done; iptables -w 5 -F " + chain +
         " 2>/dev/null; iptables -w 5 -X " + chain + " 2>/dev/null; ! iptables -w 5 -n -L " + chain +
         " >/dev/null 2>&1";
}

std::string firewall_chain_rules(const std::vector<std::pair<std::string, proxy::LinkState>>& links_into_host) {
  std::ostringstream rules;
  rules << "*filter\n:" << firewall_chain << " - [0:0]\n";
  for (const auto& [source, state] : links_into_host) {
    if (state.cut) {
      rules << "-A " << firewall_chain << " -s " << source << " -j DROP\n";
    } else if (state.loss_probability > 0) {
      rules.precision(6);
      rules << "-A " << firewall_chain << " -s " << source << " -m statistic --mode random --probability "
            << std::fixed << state.loss_probability << " -j DROP\n";
    }
  }
  rules << "COMMIT\n";
  return rules.str();
}

std::string load_firewall_command() { return "iptables-restore -w 5 --noflush"; }

std::string unsupported_on_hosts(const proxy::LinkState& state) {
  if (state.latency_ms > 0 || state.jitter_ms > 0)
    return "hosts cannot delay packets (faultline uses iptables there, not netem): use --packet loss";
  return "";
}

}  // namespace faultline::hosts
