#include "etcd_kind.h"

#include <unistd.h>

#include "adapter/program_output.h"
#include "etcd_target.h"

namespace faultline {
namespace {

using nlohmann::json;

constexpr int etcd_members_max = 9;

class EtcdKind final : public TargetKind {
 public:
  std::string name() const override { return "etcd"; }
  std::string summary() const override { return "etcd 3.4 (Raft) from Debian's etcd-server, over its v3 JSON gateway"; }
  std::vector<TargetOptionSpec> option_specs() const override {
    return {
        {"etcd_reads", "--etcd-reads",
         "etcd: linearizable (reads go through the Raft leader: the default) or serializable (a member answers "
         "from its own state, possibly stale)",
         "linearizable", {"linearizable", "serializable"}},
        {"etcd_binary", "--etcd-binary", "etcd: the etcd program to run", "/usr/bin/etcd"},
    };
  }
  std::string validate(const json& options, int nodes) const override {
    if (nodes < 1 || nodes > etcd_members_max)
      return "--nodes " + std::to_string(nodes) + ": --target etcd runs 1 to " + std::to_string(etcd_members_max) +
             " members";
    if (options.value("etcd_binary", "").empty()) return "--etcd-binary: give the path of the etcd program";
    return "";
  }
  TargetCapabilities capabilities(const json&) const override {
    return {{"read", "write", "cas", "lock", "txn"}, false,
            "etcd is a Go binary and reads the clock without libc, so libfaketime (LD_PRELOAD) cannot shift it"};
  }
  std::string run_name_prefix(const json&) const override { return "etcd"; }
  std::vector<std::pair<std::string, std::string>> configuration(const json& options) const override {
    return {{"etcd reads", options.value("etcd_reads", "linearizable")},
            {"etcd binary", options.value("etcd_binary", "/usr/bin/etcd")}};
  }
  std::vector<HostProgram> host_programs(const json& options, const std::filesystem::path&) const override {
    return {{options.value("etcd_binary", "/usr/bin/etcd"), false}};
  }
  TargetResult<std::unique_ptr<Target>> create(const TargetRequest& request) const override {
    EtcdOptions options;
    options.nodes = request.nodes;
    options.binary = request.options.value("etcd_binary", "/usr/bin/etcd");
    options.serializable_reads = request.options.value("etcd_reads", "linearizable") == "serializable";
    options.directory = request.run_directory;
    options.place_nodes = request.place_nodes;
    options.process_factory = request.process_factory;
    options.network = request.network;
    options.request_timeout_ms = request.request_timeout_ms;
    if (access(options.binary.c_str(), X_OK) != 0)
      return std::unexpected(TargetError{"--target etcd: " + options.binary.string() +
                                         " is not an executable program (install Debian's etcd-server: "
                                         "scripts/install-deps does; or give --etcd-binary PATH)"});
    options.version = etcd_version_of(program_output(options.binary, {"--version"}));
    auto target = EtcdTarget::create(std::move(options));
    if (!target) return std::unexpected(target.error());
    return std::unique_ptr<Target>(std::move(*target));
  }
};

}  // namespace

const TargetKind& etcd_target_kind() {
  static const EtcdKind kind;
  return kind;
}

}  // namespace faultline
