#include "target_file.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "adapter/text_position.h"

namespace faultline {
namespace {

using nlohmann::json;

const std::set<std::string> node_templates = {"id",      "index", "listen",         "listen_host", "listen_port",
                                              "data_dir", "peers", "faultline_node", "target_dir"};
const std::set<std::string> peer_templates = {"peer_id", "peer_address"};
const std::set<std::string> known_fields = {"name", "start", "health", "start_timeout_ms", "stop_grace_ms", "api",
                                            "peers_proxyable"};
const std::set<std::string> apis = {"faultline-kv"};

// Every {name} in `text`; an error for an unknown one or an unclosed brace.
std::string check_templates(const std::string& text, bool in_peer_loop) {
  for (std::size_t at = text.find('{'); at != std::string::npos; at = text.find('{', at + 1)) {
    const std::size_t end = text.find('}', at);
    if (end == std::string::npos) return "a '{' without '}' in \"" + text + "\"";
    const std::string name = text.substr(at + 1, end - at - 1);
    if (node_templates.contains(name) || name.starts_with("peer:")) continue;
    if (in_peer_loop && peer_templates.contains(name)) continue;
    if (peer_templates.contains(name)) return "{" + name + "} is only known inside {\"for_each_peer\": [...]}";
    return "unknown template {" + name + "} (known: {id}, {index}, {listen}, {listen_host}, {listen_port}, "
           "{data_dir}, {peers}, {peer:<id>}, {faultline_node}, {target_dir})";
  }
  return "";
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

std::string expand(std::string text, const TargetFile& file, const NodeTemplateValues& v) {
  const std::size_t colon = v.listen.rfind(':');
  std::string peers;
  for (const auto& [id, address] : v.peers) peers += (peers.empty() ? "" : ",") + id + "=" + address;
  for (const auto& [id, address] : v.peers) text = replace_all(text, "{peer:" + id + "}", address);
  const std::pair<const char*, std::string> values[] = {
      {"{id}", v.id},
      {"{index}", std::to_string(v.index)},
      {"{listen}", v.listen},
      {"{listen_host}", v.listen.substr(0, colon)},
      {"{listen_port}", colon == std::string::npos ? "" : v.listen.substr(colon + 1)},
      {"{data_dir}", v.data_dir},
      {"{peers}", peers},
      {"{faultline_node}", v.faultline_node},
      {"{target_dir}", file.path.parent_path().string()},
  };
  for (const auto& [name, value] : values) text = replace_all(text, name, value);
  return text;
}


}  // namespace

std::expected<TargetFile, std::string> parse_target_file(const std::string& text, const std::filesystem::path& path) {
  const std::string where = path.string() + ": ";
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& error) {
    return std::unexpected(where + text_position(text, error.byte == 0 ? 0 : error.byte - 1) + ": not valid JSON");
  } catch (const json::exception& error) {  // a number too large for a double (out_of_range 406)
    return std::unexpected(where + "not usable JSON: " + error.what());
  }
  if (!root.is_object()) return std::unexpected(where + "expected a JSON object");
  for (const auto& [field, value] : root.items())
    if (!known_fields.contains(field))
      return std::unexpected(where + field + ": unknown field (known: name, start, health, start_timeout_ms, "
                                     "stop_grace_ms, api, peers_proxyable)");
  TargetFile file;
  file.path = path;
  file.name = path.stem().string();
  if (root.contains("name")) {
    if (!root["name"].is_string()) return std::unexpected(where + "name: expected a string");
    file.name = root["name"];
  }
  if (!root.contains("start")) return std::unexpected(where + "start: missing (the command line of node {id})");
  const json& start = root["start"];
  if (!start.is_array() || start.empty() || !start[0].is_string())
    return std::unexpected(where + "start: expected an array of strings that begins with the program");
  for (std::size_t i = 0; i < start.size(); ++i) {
    const std::string field = "start[" + std::to_string(i) + "]";
    const json& element = start[i];
    ArgumentTemplate argument;
    if (element.is_string()) {
      argument.text = element;
      if (std::string problem = check_templates(argument.text, false); !problem.empty())
        return std::unexpected(where + field + ": " + problem);
    } else if (element.is_object() && element.size() == 1 && element.contains("for_each_peer") &&
               element["for_each_peer"].is_array() && !element["for_each_peer"].empty()) {
      for (std::size_t j = 0; j < element["for_each_peer"].size(); ++j) {
        const json& part = element["for_each_peer"][j];
        const std::string part_field = field + ".for_each_peer[" + std::to_string(j) + "]";
        if (!part.is_string()) return std::unexpected(where + part_field + ": expected a string");
        if (std::string problem = check_templates(part, true); !problem.empty())
          return std::unexpected(where + part_field + ": " + problem);
        argument.for_each_peer.push_back(part);
      }
    } else {
      return std::unexpected(where + field + ": expected a string or {\"for_each_peer\": [strings]}");
    }
    file.start.push_back(std::move(argument));
  }
  if (root.contains("health")) {
    const json& health = root["health"];
    if (!health.is_object() || !health.contains("path") || !health["path"].is_string() ||
        !health["path"].get<std::string>().starts_with("/"))
      return std::unexpected(where + "health.path: expected a path beginning with '/', e.g. {\"path\": \"/health\"}");
    file.health_path = health["path"];
  }
  for (auto [field, target] : {std::pair{"start_timeout_ms", &file.start_timeout_ms}, std::pair{"stop_grace_ms", &file.stop_grace_ms}}) {
    if (!root.contains(field)) continue;
    if (!root[field].is_number_integer() || root[field].get<std::int64_t>() <= 0)
      return std::unexpected(where + field + ": expected a positive number of milliseconds");
    *target = root[field];
  }
  if (root.contains("api")) {
    if (!root["api"].is_string() || !apis.contains(root["api"].get<std::string>()))
      return std::unexpected(where + "api: expected \"faultline-kv\" (the only client API so far)");
    file.api = root["api"];
  }
  if (root.contains("peers_proxyable")) {
    if (!root["peers_proxyable"].is_boolean()) return std::unexpected(where + "peers_proxyable: expected true or false");
    file.peers_proxyable = root["peers_proxyable"];
  }
  return file;
}

std::expected<TargetFile, std::string> read_target_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return std::unexpected(path.string() + ": cannot read");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_target_file(text.str(), std::filesystem::absolute(path));
}

std::vector<std::string> expand_start(const TargetFile& file, const NodeTemplateValues& values) {
  std::vector<std::string> argv;
  for (const ArgumentTemplate& argument : file.start) {
    if (argument.for_each_peer.empty()) {
      argv.push_back(expand(argument.text, file, values));
      continue;
    }
    for (const auto& [id, address] : values.peers)
      for (const std::string& part : argument.for_each_peer)
        argv.push_back(expand(replace_all(replace_all(part, "{peer_id}", id), "{peer_address}", address), file, values));
  }
  // A relative program is relative to the target file; a bare name is looked up on PATH.
  std::filesystem::path program = argv.front();
  if (program.is_relative() && argv.front().find('/') != std::string::npos)
    argv.front() = (file.path.parent_path() / program).lexically_normal().string();
  return argv;
}

}  // namespace faultline
