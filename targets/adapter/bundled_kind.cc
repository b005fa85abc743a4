#include "bundled_kind.h"

#include "bundled_options.h"
#include "bundled_target.h"

namespace faultline {
namespace {

using nlohmann::json;

// The user's options as BundledOptions; quorum-only and Paxos-only fields are passed on only
// for their protocol, so the node's own defaults apply where the user said nothing.
BundledOptions bundled_options_of(const json& o, int nodes) {
  BundledOptions bundled;
  bundled.nodes = nodes;
  bundled.protocol = o.value("protocol", "paxos");
  if (bundled.protocol == "quorum") {
    if (const int w = o.value("write_quorum", 0); w > 0) bundled.write_quorum = w;
    if (const int r = o.value("read_quorum", 0); r > 0) bundled.read_quorum = r;
    bundled.read_repair = o.value("read_repair", "sync");
    bundled.timestamps = o.value("timestamps", "lamport");
  } else {
    bundled.proposers = o.value("proposers", "leader");
  }
  bundled.bug = o.value("bug", "");
  return bundled;
}

// --node-binary, or the faultline-node installed beside faultline.
std::filesystem::path node_binary_of(const json& options, const std::filesystem::path& programs_directory) {
  const std::string node_binary = options.value("node_binary", "");
  return node_binary.empty() ? programs_directory / "faultline-node" : std::filesystem::path(node_binary);
}

class BundledKind final : public TargetKind {
 public:
  std::string name() const override { return "bundled"; }
  std::string summary() const override { return "faultline-node: Paxos or Dynamo-style quorums, with planted bugs"; }
  std::vector<TargetOptionSpec> option_specs() const override {
    return {
        {"protocol", "--protocol", "paxos (every key a CASPaxos register) or quorum (Dynamo-style N/R/W replication)",
         "paxos", {"paxos", "quorum"}},
        {"write_quorum", "--write-quorum", "quorum: W, acknowledgements a write waits for (default: a majority)", 0},
        {"read_quorum", "--read-quorum", "quorum: R, replies a read waits for (default: a majority)", 0},
        {"read_repair", "--read-repair",
         "quorum: off, async (repair in the background) or sync (write the newest value back before answering: ABD)",
         "sync", {"off", "async", "sync"}},
        {"timestamps", "--timestamps",
         "quorum: lamport (ask R replicas for the highest timestamp) or wallclock (the node's clock)", "lamport",
         {"lamport", "wallclock"}},
        {"proposers", "--proposers",
         "paxos: leader (nodes forward their clients' operations to the lowest-numbered node they can reach, which "
         "proposes them) or every-node (each node proposes its own clients' operations; proposers duel)",
         "leader", {"leader", "every-node"}},
        {"bug", "--bug", "Plant a bug in the bundled node (see `faultline-node --help`)", ""},
        {"node_binary", "--node-binary",
         "The faultline-node program to run (default: the one installed beside faultline), e.g. another build's "
         "to compare a change under the same faults",
         ""},
    };
  }
  std::string validate(const json& options, int nodes) const override {
    return validate_bundled_options(bundled_options_of(options, nodes));
  }
  TargetCapabilities capabilities(const json&) const override {
    return {{"read", "write", "cas", "lock", "txn", "txn-write"}, true, "", true, true};
  }
  std::string run_name_prefix(const json& options) const override { return options.value("protocol", "paxos"); }
  std::vector<std::pair<std::string, std::string>> configuration(const json& options) const override {
    std::vector<std::pair<std::string, std::string>> rows = {{"protocol", options.value("protocol", "paxos")}};
    auto quorum = [&](const char* field) {
      const int size = options.value(field, 0);
      return size > 0 ? std::to_string(size) : std::string("majority");
    };
    if (options.value("protocol", "paxos") == "quorum") {
      rows.push_back({"read quorum (R)", quorum("read_quorum")});
      rows.push_back({"write quorum (W)", quorum("write_quorum")});
      rows.push_back({"read repair", options.value("read_repair", "sync")});
      rows.push_back({"timestamps", options.value("timestamps", "lamport")});
    } else {
      rows.push_back({"proposers", options.value("proposers", "leader")});
    }
    if (!options.value("bug", "").empty()) rows.push_back({"planted bug", options.value("bug", "")});
    if (!options.value("node_binary", "").empty()) rows.push_back({"node binary", options.value("node_binary", "")});
    return rows;
  }
  std::vector<HostProgram> host_programs(const json& options, const std::filesystem::path& programs_directory) const override {
    return {{node_binary_of(options, programs_directory), true}};
  }
  TargetResult<std::unique_ptr<Target>> create(const TargetRequest& request) const override {
    BundledOptions bundled = bundled_options_of(request.options, request.nodes);
    bundled.node_binary = node_binary_of(request.options, request.programs_directory);
    bundled.directory = request.run_directory;
    bundled.place_nodes = request.place_nodes;
    bundled.process_factory = request.process_factory;
    bundled.network = request.network;
    bundled.request_timeout_ms = request.request_timeout_ms;
    bundled.lazyfs_program = request.lazyfs_program;
    auto target = BundledTarget::create(std::move(bundled));
    if (!target) return std::unexpected(target.error());
    return std::unique_ptr<Target>(std::move(*target));
  }
};

}  // namespace

const TargetKind& bundled_target_kind() {
  static const BundledKind kind;
  return kind;
}

}  // namespace faultline
