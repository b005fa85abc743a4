// etcd as a TargetKind (--target etcd): its options (--etcd-reads, --etcd-binary) and what it
// can do: read, write and cas; no per-link proxies (members dial the peer URLs they advertise,
// so partitions need --network netns); no clock faults (etcd is a Go binary: it reads the clock
// without libc, so libfaketime cannot shift it).
#pragma once

#include "adapter/target_kind.h"

namespace faultline {

const TargetKind& etcd_target_kind();

}  // namespace faultline
