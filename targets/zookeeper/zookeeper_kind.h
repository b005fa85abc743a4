// --target zookeeper: its options, capabilities and creation (target_kind.h).
#pragma once

#include "adapter/target_kind.h"

namespace faultline {

const TargetKind& zookeeper_target_kind();

}  // namespace faultline
