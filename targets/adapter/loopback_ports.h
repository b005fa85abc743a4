// Free TCP ports on 127.0.0.1, found by binding port 0.
//
// The ports are free when this returns, not when a node binds one later: another process can
// take a port in between. Callers retry with fresh ports when a node exits with "cannot
// listen" (bundled_target.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "target.h"

namespace faultline {

// `count` distinct ports; all sockets are held open until every port is found, so the kernel
// cannot hand out the same port twice. Errors: socket or bind failed (the message says which).
TargetResult<std::vector<std::uint16_t>> choose_free_loopback_ports(std::size_t count);

}  // namespace faultline
