// The user's own system as a TargetKind (--target command --target-file FILE): nodes started
// from the target file's command line template (target_file.h) as local processes through
// LocalCluster, and clients that speak faultline-node's HTTP key-value contract
// (targets/command/README.md) through the same client as the bundled target.
#pragma once

#include "adapter/target_kind.h"

namespace faultline {

const TargetKind& command_target_kind();

}  // namespace faultline
