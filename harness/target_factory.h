// The one place where target kinds are registered (targets/adapter/target_kind.h), and what the
// harness asks of them: which kind a test names, its own options out of the test's, whether it
// can serve the test's workload and nemesis, and the Target itself.
#pragma once

#include <expected>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "adapter/target.h"
#include "adapter/target_kind.h"
#include "cluster_network.h"
#include "test_options.h"

namespace faultline {

// Every kind, in the order --help lists them.
const std::vector<const TargetKind*>& target_kinds();
// The kind named `name`, or null.
const TargetKind* find_target_kind(const std::string& name);
// "bundled, etcd".
std::string target_kind_names();

// The chosen kind's own fields, out of test.json's fields for `options`, defaults filled in.
nlohmann::json target_own_options(const TestOptions& options);

// Resolves --network auto: proxy where the target's nodes can be proxied per link, else netns.
void resolve_network(TestOptions& options);

// What is wrong with the target part of the options, before anything starts: an unknown
// target, an option of another target ("--read-quorum applies to --target bundled"), the
// kind's own checks (R > N, an unknown bug), a workload operation or nemesis the target cannot
// serve, --network proxy for a target that cannot be proxied. Empty when nothing is.
// `operations_used`: what the test's workload asks of clients.
std::string validate_target_options(const TestOptions& options, const std::vector<std::string>& operations_used);

// The network the run's nemesis needs: options.network with --nemesis partition or packet, else loopback.
std::string network_kind(const TestOptions& options);

// With --hosts: the programs the target's nodes run on the hosts (empty: it cannot run there).
std::vector<HostProgram> target_host_programs(const TestOptions& options);

// The target, its nodes placed by `network` (which must outlive it) and run where
// `process_factory` puts them (empty: on this machine).
std::expected<std::unique_ptr<Target>, std::string> make_target(const TestOptions& options,
                                                                const std::filesystem::path& run_directory,
                                                                ClusterNetwork& network,
                                                                ProcessFactory process_factory = {});

}  // namespace faultline
