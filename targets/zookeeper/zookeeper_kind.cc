#include "zookeeper_kind.h"

#include <unistd.h>

#include "adapter/program_output.h"
#include "zookeeper_target.h"

namespace faultline {
namespace {

using nlohmann::json;

constexpr int zookeeper_servers_max = 9;

class ZooKeeperKind final : public TargetKind {
 public:
  std::string name() const override { return "zookeeper"; }
  std::string summary() const override {
    return "ZooKeeper 3.8 (Zab) from Debian's zookeeper on a JRE, through its C client";
  }
  std::vector<TargetOptionSpec> option_specs() const override {
    return {
        {"zookeeper_reads", "--zookeeper-reads",
         "zookeeper: plain (a server answers from its own state: sequentially consistent, possibly stale; "
         "ZooKeeper's default) or sync (sync before every read, as ZooKeeper documents for up-to-date reads)",
         "plain", {"plain", "sync"}},
        {"zookeeper_java", "--zookeeper-java", "zookeeper: the java program that runs the servers", "/usr/bin/java"},
    };
  }
  std::string validate(const json& options, int nodes) const override {
    if (nodes < 1 || nodes > zookeeper_servers_max)
      return "--nodes " + std::to_string(nodes) + ": --target zookeeper runs 1 to " +
             std::to_string(zookeeper_servers_max) + " servers";
    if (options.value("zookeeper_java", "").empty()) return "--zookeeper-java: give the path of the java program";
    return "";
  }
  TargetCapabilities capabilities(const json&) const override {
    const bool faketime = access(ZooKeeperOptions{}.faketime_library.c_str(), R_OK) == 0;
    return {{"read", "write", "cas", "lock", "txn"}, false,
            faketime ? "" : "libfaketime is not installed (Debian libfaketime; scripts/install-deps installs it)"};
  }
  std::string run_name_prefix(const json&) const override { return "zookeeper"; }
  std::vector<std::pair<std::string, std::string>> configuration(const json& options) const override {
    return {{"zookeeper reads", options.value("zookeeper_reads", "plain")},
            {"zookeeper java", options.value("zookeeper_java", "/usr/bin/java")}};
  }
  TargetResult<std::unique_ptr<Target>> create(const TargetRequest& request) const override {
    ZooKeeperOptions options;
    options.nodes = request.nodes;
    options.java = request.options.value("zookeeper_java", "/usr/bin/java");
    options.sync_reads = request.options.value("zookeeper_reads", "plain") == "sync";
    options.directory = request.run_directory;
    options.place_nodes = request.place_nodes;
    options.network = request.network;
    options.request_timeout_ms = request.request_timeout_ms;
    if (access(options.java.c_str(), X_OK) != 0)
      return std::unexpected(TargetError{"--target zookeeper: " + options.java.string() +
                                         " is not an executable program (install Debian's default-jre-headless: "
                                         "scripts/install-deps does; or give --zookeeper-java PATH)"});
    for (const char* jar : {"/usr/share/java/zookeeper.jar", "/usr/share/java/slf4j-simple.jar"})
      if (access(jar, R_OK) != 0)
        return std::unexpected(TargetError{std::string("--target zookeeper: ") + jar +
                                           " is missing (install Debian's zookeeper and libslf4j-java: "
                                           "scripts/install-deps does)"});
    // libfaketime slows the servers (median latency 300 ms instead of 8, measured with offset 0),
    // so it is preloaded only into a run that shifts clocks.
    if (!request.clock_faults || access(options.faketime_library.c_str(), R_OK) != 0) options.faketime_library.clear();
    options.version = zookeeper_version_of(program_output(options.java, zookeeper_version_arguments(options)));
    auto target = ZooKeeperTarget::create(std::move(options));
    if (!target) return std::unexpected(target.error());
    return std::unique_ptr<Target>(std::move(*target));
  }
};

}  // namespace

const TargetKind& zookeeper_target_kind() {
  static const ZooKeeperKind kind;
  return kind;
}

}  // namespace faultline
