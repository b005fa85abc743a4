#include "workload.h"

#include <chrono>

#include "linearizability/linearizability.h"
#include "list_append_workload.h"
#include "lock_workload.h"
#include "transactions/consistency_models.h"
#include "register_workload.h"
#include "set_workload.h"

namespace faultline {

std::vector<std::string> workload_names() { return {"register", "kv", "set", "lock", "list-append", "rw-register"}; }

std::expected<std::unique_ptr<Workload>, std::string> make_workload(const WorkloadOptions& options) {
  if (options.keys < 1) return std::unexpected("--keys must be at least 1, got " + std::to_string(options.keys));
  if (options.keys > workload_keys_max) {
    return std::unexpected("--keys must be at most " + std::to_string(workload_keys_max) + ", got " +
                           std::to_string(options.keys));
  }
  if (options.values < 2) {
    return std::unexpected("--values must be at least 2 (a cas needs two values to tell apart), got " +
                           std::to_string(options.values));
  }
  if (options.values > workload_values_max) {
    return std::unexpected("--values must be at most " + std::to_string(workload_values_max) + ", got " +
                           std::to_string(options.values));
  }
  if (!(options.check_time_limit_s >= 0 && options.check_time_limit_s <= workload_check_time_limit_s_max)) {
    return std::unexpected("--check-time-limit must be 0 (no limit) to " +
                           std::to_string(workload_check_time_limit_s_max) + " seconds, got " +
                           std::to_string(options.check_time_limit_s));
  }
  if (options.name != "lock" && options.lock_fencing != "none")
    return std::unexpected(std::string("--lock-fencing applies to --workload lock"));
  const bool transactional = options.name == "list-append" || options.name == "rw-register";
  if (!transactional && options.consistency != WorkloadOptions{}.consistency)
    return std::unexpected(std::string("--consistency applies to --workload list-append or rw-register"));
  const auto check_time_limit = time_limit_of_seconds(options.check_time_limit_s);
  if (options.name == "register") return make_register_workload("register", {"r"}, options.values, options.cas, check_time_limit);
  if (options.name == "kv") {
    std::vector<std::string> keys;
    for (int k = 0; k < options.keys; ++k) keys.push_back("k" + std::to_string(k));
    return make_register_workload("kv", std::move(keys), options.values, options.cas, check_time_limit);
  }
  if (options.name == "set") {
    if (!options.cas) return std::unexpected(std::string("the set workload adds with cas; --no-cas applies to register and kv"));
    return make_set_workload();
  }
  if (options.name == "lock") {
    if (options.lock_fencing != "none" && options.lock_fencing != "token")
      return std::unexpected("--lock-fencing must be none or token, got '" + options.lock_fencing + "'");
    return make_lock_workload(options.lock_fencing);
  }
  if (transactional) {
    const auto model = transactions::canonical_model_name(options.consistency);
    if (!model) return std::unexpected("--consistency: unknown model '" + options.consistency + "' (Elle's names: strict-serializable, serializable, snapshot-isolation, ...)");
    return options.name == "list-append" ? make_list_append_workload(*model) : make_rw_register_workload(*model);
  }
  std::string names;
  for (const std::string& name : workload_names()) names += (names.empty() ? "" : ", ") + name;
  return std::unexpected("unknown workload '" + options.name + "'; expected one of " + names);
}

}  // namespace faultline
