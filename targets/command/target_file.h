// A target file (`--target command --target-file mydb.json`): how to run a user's own system
// as N local processes and talk to it, without writing C++. The format:
//
//   {
//     "name": "mydb",                         // for people; default: the file's name
//     "start": ["bin/mydb", "--id", "{id}", "--listen", "{listen}",
//               {"for_each_peer": ["--peer", "{peer_id}={peer_address}"]},
//               "--data", "{data_dir}"],      // argv of node i; templates below
//     "health": {"path": "/health"},          // GET here answers 200 once the node serves
//     "start_timeout_ms": 15000,              // per node, to answer its health check
//     "stop_grace_ms": 3000,                  // after SIGTERM, before SIGKILL
//     "api": "faultline-kv"                   // what clients speak (the only one so far:
//                                             // targets/command/README.md)
//   }
//
// Templates in "start": {id} (n1..nN), {index} (1..N), {listen} (HOST:PORT to bind),
// {listen_host}, {listen_port}, {data_dir} (its own directory under the run), {peers}
// ("n2=HOST:PORT,n3=..."), {peer:<id>} (the address it dials for peer <id>), {faultline_node}
// (the faultline-node installed beside faultline), {target_dir} (the target file's directory).
// An element {"for_each_peer": [...]} repeats its strings once per peer, with {peer_id} and
// {peer_address}. A relative program path is relative to the target file.
//
// A system that dials the per-peer addresses it is given can be partitioned through the
// proxies; one that does not ("peers_proxyable": false) through network namespaces.
//
// Errors: values naming the file and the field's path: "mydb.json: start[3]: unknown template {lisen}".
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

namespace faultline {

// One element of "start": a string template, or strings repeated once per peer.
struct ArgumentTemplate {
  std::string text;                       // when not for_each_peer
  std::vector<std::string> for_each_peer; // when not empty
};

struct TargetFile {
  std::filesystem::path path;
  std::string name;
  std::vector<ArgumentTemplate> start;
  std::string health_path = "/health";
  std::int64_t start_timeout_ms = 15'000;
  std::int64_t stop_grace_ms = 3'000;
  std::string api = "faultline-kv";
  bool peers_proxyable = true;
};

// Reads and checks the file. Errors: "PATH: FIELD: what is wrong" (or "PATH: cannot read").
std::expected<TargetFile, std::string> read_target_file(const std::filesystem::path& path);
// The same, from text (tests); `path` names it in errors and anchors relative paths.
std::expected<TargetFile, std::string> parse_target_file(const std::string& text, const std::filesystem::path& path);

// What the templates of node `index` (0-based) expand to.
struct NodeTemplateValues {
  std::string id;
  int index = 1;  // 1-based
  std::string listen;  // HOST:PORT
  std::string data_dir;
  std::vector<std::pair<std::string, std::string>> peers;  // (peer id, address it dials)
  std::string faultline_node;
};

// The argv of one node: templates expanded, the program resolved against the file's directory.
std::vector<std::string> expand_start(const TargetFile& file, const NodeTemplateValues& values);

}  // namespace faultline
