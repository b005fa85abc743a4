// A transaction under quorum replication: its micro-operations run one after another, each as
// the per-key quorum operations of one key's register (register_command.h, txn_key_register):
// a read is a quorum read, a write a quorum write, and an append reads the key's list and writes
// it back grown. Nothing isolates them: another transaction's operations interleave with these,
// and a failure halfway leaves the earlier writes in place. That is the point: the checker shows
// what a system without transactions costs (README.md, "Transactions on the bundled node").
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "../operation_result.h"
#include "../paxos/register_command.h"

namespace faultline::quorum {

using KeyOperation = std::function<bundled::OperationResult(const std::string& key, const paxos::RegisterCommand&)>;

// Runs `micro_ops` (valid: paxos::txn_micro_ops_error) through `run_one`. ok: the micro-ops with
// every read filled in; failed: definite only when nothing may have been written.
inline bundled::OperationResult run_sequential_txn(const nlohmann::json& micro_ops, const KeyOperation& run_one) {
  using paxos::RegisterCommand;
  nlohmann::json done = micro_ops;
  bool may_have_written = false;
  for (nlohmann::json& micro_op : done) {
    const std::string key = paxos::txn_key_register(micro_op[1]);
    const std::string f = micro_op[0].get<std::string>();
    bundled::OperationResult result;
    if (f == "w") {
      result = run_one(key, RegisterCommand{RegisterCommand::Kind::write, micro_op[2], nullptr, nullptr});
    } else {
      result = run_one(key, RegisterCommand{RegisterCommand::Kind::read, nullptr, nullptr, nullptr});
      if (result.status == bundled::OperationResult::Status::ok && f == "append") {
        nlohmann::json grown = result.value.is_array() ? result.value : nlohmann::json::array();
        grown.push_back(micro_op[2]);
        result = run_one(key, RegisterCommand{RegisterCommand::Kind::write, std::move(grown), nullptr, nullptr});
      } else if (result.status == bundled::OperationResult::Status::ok) {
        micro_op[2] = result.value;
      }
    }
    if (result.status != bundled::OperationResult::Status::ok) {
      result.status = bundled::OperationResult::Status::failed;
      result.definite = result.definite && !may_have_written;
      result.error = "micro-operation " + micro_op.dump() + ": " + result.error +
                     (may_have_written ? " (earlier writes of the transaction stay)" : "");
      return result;
    }
    if (f != "r") may_have_written = true;
  }
  return bundled::OperationResult{bundled::OperationResult::Status::ok, std::move(done), true, ""};
}

}  // namespace faultline::quorum
