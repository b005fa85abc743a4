// The bundled target (faultline-node, Paxos or quorum replication) as a TargetKind: its options
// (protocol, quorums, read repair, timestamps, proposers, planted bugs) and what it can do.
#pragma once

#include "target_kind.h"

namespace faultline {

const TargetKind& bundled_target_kind();

}  // namespace faultline
