#include "target_factory.h"

#include <system_error>

#include "adapter/bundled_options.h"
#include "adapter/bundled_target.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;

// faultline-node is installed beside faultline (build/bin/).
fs::path node_binary_beside_this_program() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return (error ? fs::path("build/bin") : self.parent_path()) / "faultline-node";
}

BundledOptions bundled_options(const TestOptions& options, const fs::path& run_directory) {
  BundledOptions bundled;
  bundled.nodes = options.nodes;
  bundled.protocol = options.protocol;
  if (options.protocol == "quorum") {
    if (options.write_quorum > 0) bundled.write_quorum = options.write_quorum;
    if (options.read_quorum > 0) bundled.read_quorum = options.read_quorum;
    bundled.read_repair = options.read_repair;
    bundled.timestamps = options.timestamps;
  } else {
    bundled.proposers = options.proposers;
  }
  bundled.bug = options.bug;
  bundled.node_binary = node_binary_beside_this_program();
  bundled.directory = run_directory;
  return bundled;
}

}  // namespace

std::string validate_target_options(const TestOptions& options) {
  return validate_bundled_options(bundled_options(options, "."));
}

std::string network_kind(const TestOptions& options) {
  return needs_network_control(options) ? options.network : "loopback";
}

std::expected<std::unique_ptr<Target>, std::string> make_target(const TestOptions& options,
                                                                const fs::path& run_directory,
                                                                ClusterNetwork& network) {
  BundledOptions bundled = bundled_options(options, run_directory);
  bundled.place_nodes = network.placer();
  bundled.network = network.name();
  auto target = BundledTarget::create(std::move(bundled));
  if (!target) return std::unexpected(target.error().message);
  return std::unique_ptr<Target>(std::move(*target));
}

}  // namespace faultline
