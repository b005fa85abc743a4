#include "hosts_file.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "adapter/text_position.h"
#include "adapter/node_placement.h"

namespace faultline {
namespace {

using nlohmann::json;

const std::set<std::string> host_fields = {"address", "port", "user", "identity", "known_hosts",
                                           "node", "directory", "clock"};


// A shell word we can pass through ssh and sh unquoted where it matters: no spaces, quotes or
// metacharacters in addresses, users and directories.
bool plain_word(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == ':' || c == '/' ||
          c == '%' || c == '[' || c == ']'))
      return false;
  return true;
}

std::expected<HostEntry, std::string> parse_host(const json& value, const std::string& where) {
  if (!value.is_object()) return std::unexpected(where + ": expected an object with at least \"address\"");
  for (const auto& [field, unused] : value.items())
    if (!host_fields.contains(field))
      return std::unexpected(where + "." + field + ": unknown field (known: address, port, user, identity, "
                                                   "known_hosts, node, directory, clock)");
  HostEntry host;
  auto text = [&](const char* field, std::string& into) -> std::string {
    if (!value.contains(field)) return "";
    if (!value[field].is_string() || value[field].get<std::string>().empty())
      return where + "." + field + ": expected a non-empty string, got " + value[field].dump();
    into = value[field].get<std::string>();
    return "";
  };
  std::string identity, known_hosts;
  for (auto [field, into] : {std::pair{"address", &host.address}, std::pair{"user", &host.user},
                             std::pair{"identity", &identity}, std::pair{"known_hosts", &known_hosts},
                             std::pair{"node", &host.node}, std::pair{"directory", &host.directory}})
    if (std::string problem = text(field, *into); !problem.empty()) return std::unexpected(problem);
  if (host.address.empty()) return std::unexpected(where + ".address: missing (where SSH and clients reach the host)");
  if (!plain_word(host.address)) return std::unexpected(where + ".address: not a host name or address: " + host.address);
  if (!plain_word(host.user)) return std::unexpected(where + ".user: not a user name: " + host.user);
  if (host.directory.front() != '/' || !plain_word(host.directory) || host.directory.find("..") != std::string::npos)
    return std::unexpected(where + ".directory: expected an absolute path without spaces or '..', got " + host.directory);
  host.identity = identity;
  host.known_hosts = known_hosts;
  if (value.contains("port")) {
    const json& port = value["port"];
    if (!port.is_number_integer() || port.get<long long>() < 1 || port.get<long long>() > 65535)
      return std::unexpected(where + ".port: expected an integer from 1 to 65535, got " + port.dump());
    host.port = port.get<int>();
  }
  if (value.contains("clock")) {
    if (!value["clock"].is_boolean()) return std::unexpected(where + ".clock: expected true or false, got " + value["clock"].dump());
    host.clock = value["clock"].get<bool>();
  }
  return host;
}

}  // namespace

std::expected<HostsFile, std::string> parse_hosts_file(const std::string& text, const std::filesystem::path& path) {
  const std::string file = path.string();
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& error) {
    return std::unexpected(file + ": not JSON at " + text_position(text, error.byte == 0 ? 0 : error.byte - 1));
  } catch (const json::exception& error) {  // a number out of range (1e999): found by hosts_file_fuzz
    return std::unexpected(file + ": not usable JSON: " + error.what());
  }
  if (!root.is_object()) return std::unexpected(file + ": expected an object with \"hosts\"");
  for (const auto& [field, unused] : root.items())
    if (field != "hosts" && field != "controller_namespace")
      return std::unexpected(file + ": " + field + ": unknown field (known: hosts, controller_namespace)");
  if (!root.contains("hosts") || !root["hosts"].is_array() || root["hosts"].empty())
    return std::unexpected(file + ": hosts: expected a non-empty array of hosts");
  HostsFile hosts_file{path, {}, ""};
  if (root.contains("controller_namespace")) {
    const json& name = root["controller_namespace"];
    if (!name.is_string() || name.get<std::string>().empty() || name.get<std::string>().find('/') != std::string::npos)
      return std::unexpected(file + ": controller_namespace: expected the name of a network namespace, got " + name.dump());
    hosts_file.controller_namespace = name.get<std::string>();
  }
  const std::size_t count = root["hosts"].size();
  const std::vector<std::string> ids = cluster_node_ids(static_cast<int>(count));
  std::vector<std::optional<HostEntry>> by_node(count);
  std::vector<HostEntry> parsed;
  std::set<std::string> addresses;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string where = file + ": hosts[" + std::to_string(i) + "]";
    auto host = parse_host(root["hosts"][i], where);
    if (!host) return std::unexpected(host.error());
    if (!addresses.insert(host->address).second)
      return std::unexpected(where + ".address: " + host->address + " is named twice (one node per host)");
    if (!host->node.empty()) {
      const auto id = std::find(ids.begin(), ids.end(), host->node);
      if (id == ids.end())
        return std::unexpected(where + ".node: expected one of n1..n" + std::to_string(count) + ", got " + host->node);
      auto& slot = by_node[static_cast<std::size_t>(id - ids.begin())];
      if (slot) return std::unexpected(where + ".node: " + host->node + " runs on two hosts");
      slot = *host;
    }
    parsed.push_back(std::move(*host));
  }
  // Hosts that name no node take the nodes no host names, in file order.
  std::size_t free_slot = 0;
  for (HostEntry& host : parsed) {
    if (!host.node.empty()) continue;
    while (by_node[free_slot]) ++free_slot;
    host.node = ids[free_slot];
    by_node[free_slot] = std::move(host);
  }
  for (auto& host : by_node) hosts_file.hosts.push_back(std::move(*host));
  return hosts_file;
}

std::string controller_namespace_problem(const HostsFile& hosts) {
  if (hosts.controller_namespace.empty()) return "";
  struct stat ours {}, theirs {};
  const std::string named = "/run/netns/" + hosts.controller_namespace;
  if (stat(named.c_str(), &theirs) != 0)
    return hosts.path.string() + ": controller_namespace: there is no network namespace " + hosts.controller_namespace +
           " (were the hosts removed?)";
  if (stat("/proc/self/ns/net", &ours) == 0 && ours.st_dev == theirs.st_dev && ours.st_ino == theirs.st_ino) return "";
  return "these hosts can be reached only from the network namespace " + hosts.controller_namespace +
         ": run faultline in it (ip netns exec " + hosts.controller_namespace + " faultline ...)";
}

std::expected<HostsFile, std::string> read_hosts_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::unexpected(path.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_hosts_file(text.str(), path);
}

}  // namespace faultline
