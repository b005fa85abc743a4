// The command line of faultline-node, parsed and validated. Bad flags are expected errors
// (STYLE principle 9): a message naming the flag, and exit code `exit_bad_flags`.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <vector>

#include "../bugs.h"
#include "../quorum/coordinator.h"

namespace faultline::node {

inline constexpr int exit_bad_flags = 2;
inline constexpr int exit_bad_data_dir = 3;
inline constexpr int exit_cannot_listen = 4;

struct Address {
  std::string host;
  std::uint16_t port = 0;
  std::string to_string() const { return host + ":" + std::to_string(port); }
};

struct NodeOptions {
  enum class Protocol { paxos, quorum };
  std::string id;
  Address listen;
  std::vector<std::pair<std::string, Address>> peers;  // (id, address), as given
  std::string data_dir;
  Protocol protocol = Protocol::paxos;
  quorum::QuorumConfig quorum;  // cluster_size filled in
  bool fsync = true;
  bool allow_remote = false;
  // Paxos: skip the prepare round when this node's last operation on the key left a majority
  // promise (paxos/fast_path.h). With a leader proposing (the default) the promise stays valid;
  // with every node proposing on the same keys it is often stale, and a refused fast accept
  // leaves a write's outcome unknown more often than two rounds do (targets/bundled/README.md).
  bool fast_path = true;
  // Paxos: who proposes a client's operation. leader: the lowest-numbered node this node can
  // reach (paxos/leader_choice.h), to which it forwards; every_node: the node the client asked.
  enum class Proposers { leader, every_node };
  Proposers proposers = Proposers::leader;
  bundled::Bug bug = bundled::Bug::none;

  // Every node id, sorted: a node's position is its number in ballots and timestamps.
  std::vector<std::string> cluster() const;
  std::size_t self_index() const;
};

// Parses argv. On --help, returns an error with an empty message and prints nothing itself:
// the caller prints `help_text()`.
struct ParseError {
  int exit_code = exit_bad_flags;
  std::string message;  // empty for --help
};
std::expected<NodeOptions, ParseError> parse_node_options(int argc, const char* const* argv);
std::string help_text();

// "127.0.0.1:8001" -> Address; the error says what is wrong.
std::expected<Address, std::string> parse_address(const std::string& text);

}  // namespace faultline::node
