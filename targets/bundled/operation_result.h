// One client operation's outcome in the bundled node, as its client will see it: the Paxos
// proposer, the quorum coordinator, the node's HTTP front end and its wire format all speak it.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace faultline::bundled {

struct OperationResult {
  enum class Status { ok, cas_mismatch, failed };
  Status status = Status::failed;
  nlohmann::json value;   // ok read: the value read
  bool definite = false;  // failed: true when the operation certainly did not take effect
  std::string error;      // failed: why, for people
};

}  // namespace faultline::bundled
