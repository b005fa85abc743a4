// What the HTTP server needs from a protocol: run one client operation (blocking until it has
// an answer), answer node-to-node calls, report status. PaxosService and QuorumService are the
// thin adapters that drive the pure cores with real peers, disks and clocks.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "../operation_result.h"
#include "../paxos/register_command.h"

namespace faultline::node {

using bundled::OperationResult;

struct InternalReply {
  int http_status = 200;  // 400: the request was malformed
  nlohmann::json body;
};

// What a node whose log lost acknowledged records answers instead of voting or proposing.
inline std::string state_lost_error(const std::string& lost) {
  return "this node's data files lost acknowledged state, so it neither votes nor coordinates until its data "
         "directory is restored (" + lost + ")";
}

class KvService {
 public:
  virtual ~KvService() = default;
  virtual OperationResult execute(const std::string& key, const paxos::RegisterCommand& command) = 0;
  // POST /internal/{protocol}: `body` is an object, or an array of them when the protocol's
  // peers batch their requests (the reply is then the array of the replies).
  virtual InternalReply internal(const std::string& protocol, const nlohmann::json& body) = 0;
  virtual nlohmann::json status() = 0;
  virtual void set_clock_offset_ms(std::int64_t offset_ms) = 0;
};

}  // namespace faultline::node
