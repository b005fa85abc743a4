// The netns network backend at work: builds a run's namespaces, bridge and veths
// (netns_layout.h), carries out link states with iptables inside the node namespaces, and
// removes everything when destroyed. Also the sweep that removes what runs that died left
// behind. Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and the ip and iptables-restore commands.
//
// Errors are messages for the user naming the command that failed and what it printed.
#pragma once

#include <expected>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "netns_layout.h"
#include "proxy/link_state.h"

namespace faultline::netns {

// Why this machine cannot run the backend (not root, a command missing); empty when it can.
std::string netns_unavailable_reason();

// This process's run tag (pid and start time).
std::string own_run_tag();

class NetnsNetwork final : public proxy::NetworkLinks {
 public:
  // Builds the layout for `ids` with this process's run tag, every link open. On an error
  // whatever was built is removed again.
  static std::expected<std::unique_ptr<NetnsNetwork>, std::string> create(const std::vector<std::string>& ids);
  // Removes every namespace of the layout (and with them the veths, bridge and rules).
  ~NetnsNetwork() override;
  NetnsNetwork(const NetnsNetwork&) = delete;
  NetnsNetwork& operator=(const NetnsNetwork&) = delete;

  const NetnsLayout& layout() const { return layout_; }

  std::string set_link_states(const std::vector<proxy::LinkChange>& changes) override;
  void heal_all() override;

 private:
  explicit NetnsNetwork(NetnsLayout layout) : layout_(std::move(layout)) {}
  // Loads the rules of every node in `nodes` from links_; the first error.
  std::string load_rules(const std::vector<std::string>& nodes);

  NetnsLayout layout_;
  std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, proxy::LinkState> links_;  // (from, to) -> state; absent: open
};

struct SweepResult {
  std::vector<std::string> removed;  // namespace names
  std::vector<std::string> errors;
};

// Removes the namespaces of runs whose process is gone. Never touches namespaces of a live
// run, nor any namespace not named by this backend.
SweepResult sweep_leftover_namespaces();

}  // namespace faultline::netns
