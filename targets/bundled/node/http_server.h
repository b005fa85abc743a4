// The client API over HTTP (cpp-httplib, kept out of this header; see --help for the routes).
// Blocks serving until SIGINT or SIGTERM. The error says why it could not listen.
#pragma once

#include <expected>
#include <string>

#include "kv_service.h"
#include "options.h"

namespace faultline::node {

// Whether `address` can be bound now; the error names the address and the reason
// ("address already in use").
std::expected<void, std::string> check_can_listen(const Address& address);

std::expected<void, std::string> serve(KvService& service, const NodeOptions& options);

}  // namespace faultline::node
