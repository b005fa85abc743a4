// Builds the Target a test names, from its options, with its files under the run directory.
#pragma once

#include <expected>
#include <filesystem>
#include <memory>
#include <string>

#include "adapter/target.h"
#include "cluster_network.h"
#include "test_options.h"

namespace faultline {

// What is wrong with the target part of the options (R > N, an unknown bug), before anything starts.
std::string validate_target_options(const TestOptions& options);

// The network the run's nemesis needs: options.network with --nemesis partition or packet, else loopback.
std::string network_kind(const TestOptions& options);

// The target, its nodes placed by `network` (which must outlive it).
std::expected<std::unique_ptr<Target>, std::string> make_target(const TestOptions& options,
                                                                const std::filesystem::path& run_directory,
                                                                ClusterNetwork& network);

}  // namespace faultline
