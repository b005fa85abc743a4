// What a run's configuration is, for people: the rows the report shows and the one-line system
// the store listing shows. Only the options that apply to this target, workload and nemesis,
// and all of them (the target's own rows come from its TargetKind). Written into test.json
// ("configuration", "system") when the run starts, so reports never guess.
#pragma once

#include <nlohmann/json.hpp>

#include "test_options.h"

namespace faultline {

// [[label, value], ...]. `target_details`: the target's describe() (its version, when known).
nlohmann::json configuration_rows(const TestOptions& options, const nlohmann::json& target_details);

// "etcd 3.4.23", "paxos", "quorum": what ran, in a few words.
std::string system_text(const TestOptions& options, const nlohmann::json& target_details);

}  // namespace faultline
