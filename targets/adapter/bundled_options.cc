#include "bundled_options.h"

#include <cassert>

#include "../bundled/bugs.h"  // the one list of planted bug names (header only, no link)

namespace faultline {

namespace {

bool one_of(const std::string& value, std::initializer_list<const char*> allowed) {
  for (const char* candidate : allowed)
    if (value == candidate) return true;
  return false;
}

std::string known_bugs() {
  std::string text;
  for (const auto& info : bundled::bug_infos) text += (text.empty() ? "" : ", ") + std::string(info.name);
  return text;
}

int majority(int nodes) { return nodes / 2 + 1; }

}  // namespace

std::string validate_bundled_options(const BundledOptions& options) {
  const int n = options.nodes;
  if (n < 1 || n > bundled_nodes_max)
    return "--nodes " + std::to_string(n) + ": the bundled cluster has 1 to " + std::to_string(bundled_nodes_max) +
           " nodes";
  if (!one_of(options.protocol, {"paxos", "quorum"}))
    return "--protocol '" + options.protocol + "': expected paxos or quorum";
  const bool quorum = options.protocol == "quorum";
  if (!quorum && (options.write_quorum || options.read_quorum || options.read_repair || options.timestamps))
    return "--write-quorum, --read-quorum, --read-repair and --timestamps apply to --protocol quorum only "
           "(Paxos always uses a majority)";
  for (const auto& [flag, size] :
       {std::pair{"--write-quorum", options.write_quorum}, std::pair{"--read-quorum", options.read_quorum}}) {
    if (size && (*size < 1 || *size > n))
      return std::string(flag) + " " + std::to_string(*size) + ": must be from 1 to the number of nodes (" +
             std::to_string(n) + ")";
  }
  if (options.read_repair && !one_of(*options.read_repair, {"off", "async", "sync"}))
    return "--read-repair '" + *options.read_repair + "': expected off, async or sync";
  if (options.timestamps && !one_of(*options.timestamps, {"lamport", "wallclock"}))
    return "--timestamps '" + *options.timestamps + "': expected lamport or wallclock";
  if (options.proposers && quorum) return "--proposers applies to --protocol paxos only";
  if (options.proposers && !one_of(*options.proposers, {"leader", "every-node"}))
    return "--proposers '" + *options.proposers + "': expected leader or every-node";
  if (!options.bug.empty() && options.bug != "none") {
    const auto bug = bundled::parse_bug(options.bug);
    if (!bug) return "--bug '" + options.bug + "': unknown; known bugs: " + known_bugs();
    if (!bundled::bug_applies_to(options.bug, !quorum)) return "--bug " + options.bug + " does not apply to --protocol " + options.protocol;
  }
  if (!options.ports.empty() && options.ports.size() != static_cast<std::size_t>(n))
    return "bundled target: " + std::to_string(options.ports.size()) + " ports given for " + std::to_string(n) +
           " nodes";
  for (std::uint16_t port : options.ports)
    if (port == 0) return "bundled target: port 0 is not a port a node can be reached on";
  if (options.request_timeout_ms <= connect_timeout_ms)
    return "bundled target: a request timeout of " + std::to_string(options.request_timeout_ms) +
           " ms must exceed the connect timeout (" + std::to_string(connect_timeout_ms) + " ms)";
  return "";
}

std::vector<std::string> bundled_node_ids(int nodes) { return cluster_node_ids(nodes); }

std::vector<std::string> bundled_node_arguments(const BundledOptions& options, std::size_t index,
                                                const std::vector<NodePlacement>& placements) {
  assert(placements.size() == static_cast<std::size_t>(options.nodes) && index < placements.size());
  const std::vector<std::string> ids = bundled_node_ids(options.nodes);
  const NodePlacement& placement = placements[index];
  std::vector<std::string> arguments = {"--id", ids[index], "--listen", placement.listen_address};
  // A node placed in a network namespace of its own listens beyond loopback there (its peers
  // dial its bridge address); the node asks for that to be said explicitly.
  if (!placement.listen_address.starts_with("127.")) arguments.push_back("--allow-remote");
  for (const auto& [peer, address] : placement.peers)
    arguments.insert(arguments.end(), {"--peer", peer + "=" + address});
  arguments.insert(arguments.end(),
                   {"--data-dir", (options.directory / "data" / ids[index]).string(), "--protocol", options.protocol});
  if (options.write_quorum)
    arguments.insert(arguments.end(), {"--write-quorum", std::to_string(*options.write_quorum)});
  if (options.read_quorum) arguments.insert(arguments.end(), {"--read-quorum", std::to_string(*options.read_quorum)});
  if (options.read_repair) arguments.insert(arguments.end(), {"--read-repair", *options.read_repair});
  if (options.timestamps) arguments.insert(arguments.end(), {"--timestamps", *options.timestamps});
  if (options.proposers) arguments.insert(arguments.end(), {"--proposers", *options.proposers});
  if (!options.bug.empty() && options.bug != "none") arguments.insert(arguments.end(), {"--bug", options.bug});
  if (!options.fsync) arguments.push_back("--no-fsync");
  return arguments;
}

nlohmann::json describe_bundled_options(const BundledOptions& options, const std::vector<NodePlacement>& placements) {
  nlohmann::json nodes = nlohmann::json::array();
  const std::vector<std::string> ids = bundled_node_ids(options.nodes);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    nlohmann::json node = {{"id", ids[i]}};
    if (i < placements.size()) {
      node["address"] = placements[i].listen_address;
      nlohmann::json peers = nlohmann::json::object();
      for (const auto& [peer, address] : placements[i].peers) peers[peer] = address;
      node["peers"] = peers;
    }
    nodes.push_back(node);
  }
  nlohmann::json description = {
      {"target", "bundled"},
      {"protocol", options.protocol},
      {"nodes", nodes},
      {"bug", options.bug.empty() ? "none" : options.bug},
      {"request_timeout_ms", options.request_timeout_ms},
      {"fsync", options.fsync},
      {"network", options.network},
  };
  if (options.protocol == "quorum") {
    description["write_quorum"] = options.write_quorum.value_or(majority(options.nodes));
    description["read_quorum"] = options.read_quorum.value_or(majority(options.nodes));
    description["read_repair"] = options.read_repair.value_or("sync");
    description["timestamps"] = options.timestamps.value_or("lamport");
  } else {
    description["proposers"] = options.proposers.value_or("leader");
  }
  return description;
}

}  // namespace faultline
