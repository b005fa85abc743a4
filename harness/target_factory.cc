#include "target_factory.h"

#include <algorithm>
#include <system_error>

#include "adapter/bundled_kind.h"
#include "adapter/lazyfs_mount.h"
#include "command/command_kind.h"
#include "etcd/etcd_kind.h"
#include "zookeeper/zookeeper_kind.h"

namespace faultline {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// faultline-node is installed beside faultline (build/bin/).
fs::path programs_directory() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? fs::path("build/bin") : self.parent_path();
}

bool contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

const std::vector<const TargetKind*>& target_kinds() {
  static const std::vector<const TargetKind*> kinds = {&bundled_target_kind(), &etcd_target_kind(),
                                                                &zookeeper_target_kind(), &command_target_kind()};
  return kinds;
}

const TargetKind* find_target_kind(const std::string& name) {
  for (const TargetKind* kind : target_kinds())
    if (kind->name() == name) return kind;
  return nullptr;
}

std::string target_kind_names() {
  std::string names;
  for (const TargetKind* kind : target_kinds()) names += (names.empty() ? "" : ", ") + kind->name();
  return names;
}

json target_own_options(const TestOptions& options) {
  const TargetKind* kind = find_target_kind(options.target);
  if (kind == nullptr) return json::object();
  const json all = test_options_to_json(options);
  json own = json::object();
  for (const TargetOptionSpec& spec : kind->option_specs())
    if (all.contains(spec.field)) own[spec.field] = all[spec.field];
  return with_defaults(kind->option_specs(), own);
}

void resolve_network(TestOptions& options) {
  if (options.network != "auto") return;
  const TargetKind* kind = find_target_kind(options.target);
  const bool proxied = kind == nullptr || kind->capabilities(target_own_options(options)).per_link_proxy;
  options.network = proxied ? "proxy" : "netns";
}

std::string validate_target_options(const TestOptions& options, const std::vector<std::string>& operations_used) {
  const TargetKind* kind = find_target_kind(options.target);
  if (kind == nullptr) return "--target: unknown target '" + options.target + "' (known: " + target_kind_names() + ")";
  // An option that another target owns, set to anything but its default, does not apply.
  const json all = test_options_to_json(options);
  const std::vector<TargetOptionSpec> own_specs = kind->option_specs();
  for (const TargetKind* other : target_kinds()) {
    if (other == kind) continue;
    for (const TargetOptionSpec& spec : other->option_specs()) {
      const bool also_ours = std::any_of(own_specs.begin(), own_specs.end(),
                                         [&](const TargetOptionSpec& own) { return own.field == spec.field; });
      if (!also_ours && all.contains(spec.field) && all[spec.field] != spec.default_value)
        return spec.flag + " applies to --target " + other->name() + ", not to --target " + kind->name();
    }
  }
  const json own = target_own_options(options);
  for (const TargetOptionSpec& spec : own_specs) {
    const json& value = own[spec.field];
    if (value.type() != spec.default_value.type() &&
        !(value.is_number() && spec.default_value.is_number()))
      return spec.flag + ": expected a " + std::string(spec.default_value.type_name()) + ", got " + value.dump();
    if (!spec.allowed.empty() && (!value.is_string() || !contains(spec.allowed, value.get<std::string>()))) {
      std::string allowed;
      for (const std::string& a : spec.allowed) allowed += (allowed.empty() ? "" : ", ") + a;
      return spec.flag + ": expected one of " + allowed + ", got " + value.dump();
    }
  }
  if (std::string problem = kind->validate(own, options.nodes); !problem.empty()) return problem;
  const TargetCapabilities can = kind->capabilities(own);
  for (const std::string& operation : operations_used)
    if (!contains(can.operations, operation))
      return "--workload " + options.workload + " needs " + operation + ", which --target " + kind->name() +
             " clients cannot do";
  if (needs_network_control(options) && options.network == "proxy" && !can.per_link_proxy)
    return "--network proxy cannot cut the links of --target " + kind->name() +
           " (its nodes dial the addresses they advertise, not ones a proxy can stand in for): use --network netns "
           "(as root), or leave --network out";
  if (!options.hosts.empty()) {
    if (kind->host_programs(own, programs_directory()).empty())
      return "--hosts: --target " + kind->name() + " cannot run on hosts yet (bundled and etcd can)";
    if (has_nemesis(options, "power-loss"))
      return "--nemesis power-loss cannot act with --hosts: faultline-lazyfs would have to run on the hosts";
    if (has_nemesis(options, "corrupt"))
      return "--nemesis corrupt cannot act with --hosts yet: the nodes' data files are on the hosts, not here";
  }
  if (has_nemesis(options, "power-loss") && !can.power_loss)
    return "--nemesis power-loss cannot act on --target " + kind->name() +
           ": its nodes' data directories cannot sit on faultline-lazyfs (only the bundled node's do so far)";
  if (has_nemesis(options, "corrupt") && !can.corrupt_files)
    return "--nemesis corrupt cannot act on --target " + kind->name() +
           ": the harness does not know where its nodes keep their data files";
  if (has_nemesis(options, "power-loss"))
    if (std::string reason = lazyfs_unavailable_reason(); !reason.empty()) return "--nemesis power-loss: " + reason;
  if (has_nemesis(options, "clock") && !can.clock_unavailable_reason.empty())
    return "--nemesis clock cannot act on --target " + kind->name() + ": " + can.clock_unavailable_reason;
  return "";
}

std::string network_kind(const TestOptions& options) {
  return needs_network_control(options) ? options.network : "loopback";
}

std::vector<HostProgram> target_host_programs(const TestOptions& options) {
  const TargetKind* kind = find_target_kind(options.target);
  return kind == nullptr ? std::vector<HostProgram>{} : kind->host_programs(target_own_options(options), programs_directory());
}

std::expected<std::unique_ptr<Target>, std::string> make_target(const TestOptions& options,
                                                                const fs::path& run_directory,
                                                                ClusterNetwork& network,
                                                                ProcessFactory process_factory) {
  const TargetKind* kind = find_target_kind(options.target);
  if (kind == nullptr) return std::unexpected("--target: unknown target '" + options.target + "'");
  TargetRequest request;
  request.nodes = options.nodes;
  request.options = target_own_options(options);
  request.run_directory = run_directory;
  request.place_nodes = network.placer();
  request.network = network.name();
  request.programs_directory = programs_directory();
  request.request_timeout_ms = static_cast<std::int64_t>(options.request_timeout_s * 1000);
  request.clock_faults = has_nemesis(options, "clock");
  request.process_factory = std::move(process_factory);
  if (has_nemesis(options, "power-loss")) request.lazyfs_program = request.programs_directory / "faultline-lazyfs";
  auto target = kind->create(request);
  if (!target) return std::unexpected(target.error().message);
  return std::move(*target);
}

}  // namespace faultline
