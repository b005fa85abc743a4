#include "command_kind.h"

#include <algorithm>
#include <system_error>

#include "adapter/adapter_limits.h"
#include "adapter/http_kv_client.h"
#include "adapter/local_cluster.h"
#include "target_file.h"

namespace faultline {
namespace {

using nlohmann::json;

constexpr int command_nodes_max = 9;


class CommandTarget final : public LocalClusterTarget {
 public:
  CommandTarget(TargetFile file, const TargetRequest& request)
      : LocalClusterTarget(spec(file, request)),
        file_(std::move(file)),
        network_(request.network),
        request_timeout_ms_(request.request_timeout_ms) {}

  std::unique_ptr<KvClient> client(const std::string& node) const override {
    return std::make_unique<HttpKvClient>(cluster_.base_url(node), request_timeout_ms_, connect_timeout_ms,
                                          cluster_.client_network_namespace(node));
  }
  json describe() const override {
    json nodes = json::array();
    for (const LocalNode& node : cluster_.nodes()) nodes.push_back({{"address", node.placement.listen_address}});
    return {{"target", "command"}, {"target_file", file_.path.string()}, {"name", file_.name},
            {"api", file_.api},    {"nodes", nodes},                      {"network", network_}};
  }

 private:
  static LocalClusterSpec spec(const TargetFile& file, const TargetRequest& request) {
    LocalClusterSpec spec;
    spec.ids = cluster_node_ids(request.nodes);
    spec.log_directory = request.run_directory / "nodes";
    spec.place_nodes = request.place_nodes;
    spec.process_factory = request.process_factory;
    spec.start_health_path = spec.restart_health_path = file.health_path;
    spec.start_timeout_ms = file.start_timeout_ms;
    spec.stop_grace_ms = file.stop_grace_ms;
    spec.process_for = [file, ids = spec.ids, directory = request.run_directory,
                        programs = request.programs_directory](std::size_t index, const std::vector<LocalNode>& nodes) {
      NodeTemplateValues values;
      values.id = ids[index];
      values.index = static_cast<int>(index) + 1;
      values.listen = nodes[index].placement.listen_address;
      values.data_dir = (directory / "data" / ids[index]).string();
      values.peers = nodes[index].placement.peers;
      values.faultline_node = (programs / "faultline-node").string();
      std::vector<std::string> argv = expand_start(file, values);
      const std::string program = argv.front();
      argv.erase(argv.begin());
      return ProcessSpec{find_program(program), std::move(argv), {}};
    };
    return spec;
  }

  TargetFile file_;
  std::string network_;
  std::int64_t request_timeout_ms_;
};

class CommandKind final : public TargetKind {
 public:
  std::string name() const override { return "command"; }
  std::string summary() const override {
    return "your own system: nodes started as a target file (--target-file) says, clients speaking faultline-node's "
           "HTTP key-value contract";
  }
  std::vector<TargetOptionSpec> option_specs() const override {
    return {{"target_file", "--target-file",
             "command: the JSON file that says how to start node {id} and how to reach it (targets/command/README.md)",
             ""}};
  }
  std::string validate(const json& options, int nodes) const override {
    const std::string path = options.value("target_file", "");
    if (path.empty()) return "--target command needs --target-file FILE (targets/command/README.md says what it holds)";
    if (nodes < 1 || nodes > command_nodes_max)
      return "--nodes " + std::to_string(nodes) + ": --target command runs 1 to " + std::to_string(command_nodes_max) + " nodes";
    auto file = read_target_file(path);
    if (!file) return file.error();
    // Every {peer:<id>} must name a node of this cluster.
    const std::vector<std::string> ids = cluster_node_ids(nodes);
    for (std::size_t i = 0; i < file->start.size(); ++i) {
      std::vector<std::string> texts = file->start[i].for_each_peer;
      if (texts.empty()) texts.push_back(file->start[i].text);
      for (const std::string& text : texts)
        for (std::size_t at = text.find("{peer:"); at != std::string::npos; at = text.find("{peer:", at + 1)) {
          const std::string id = text.substr(at + 6, text.find('}', at) - at - 6);
          if (std::find(ids.begin(), ids.end(), id) == ids.end())
            return file->path.string() + ": start[" + std::to_string(i) + "]: {peer:" + id + "} names no node of " +
                   std::to_string(nodes) + " (n1..n" + std::to_string(nodes) + ")";
        }
    }
    return "";
  }
  TargetCapabilities capabilities(const json& options) const override {
    bool proxyable = true;
    if (auto file = read_target_file(options.value("target_file", ""))) proxyable = file->peers_proxyable;
    return {{"read", "write", "cas", "lock"}, proxyable,
            "faultline cannot shift the clocks of a system it knows only by its command line"};
  }
  std::string run_name_prefix(const json& options) const override {
    auto file = read_target_file(options.value("target_file", ""));
    return file ? file->name : "command";
  }
  std::vector<std::pair<std::string, std::string>> configuration(const json& options) const override {
    return {{"target file", options.value("target_file", "")}};
  }
  TargetResult<std::unique_ptr<Target>> create(const TargetRequest& request) const override {
    auto file = read_target_file(request.options.value("target_file", ""));
    if (!file) return std::unexpected(TargetError{file.error()});
    if (auto created = create_node_directories(request.run_directory); !created)
      return std::unexpected(created.error());
    return std::unique_ptr<Target>(new CommandTarget(std::move(*file), request));
  }
};

}  // namespace

const TargetKind& command_target_kind() {
  static const CommandKind kind;
  return kind;
}

}  // namespace faultline
