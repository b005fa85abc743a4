// The functions a client applies to a register in one consensus instance: read, write, cas.
// CASPaxos runs every operation, reads included, as "apply f to the current value and have a
// majority accept the result". A batch of commands on one key is one function too: applied in
// order, each to the value the one before left, and the last value is proposed. Linearizable,
// because the commands of a batch were all pending when it started: their order in the batch
// is their order in the history.
//
// A transaction (Kind::txn) is one command too: its micro-operations (`value`, a JSON array of
// ["append", k, v], ["w", k, v] and ["r", k, null]) apply in order to a register whose value is
// the whole transactional keyspace, an object from each key (as JSON text) to its list or value.
// Its result is the micro-operations with every read filled in. One consensus instance applies
// the whole transaction to every key it touches at once, which is why a transaction is strict
// serializable (targets/bundled/README.md, "Transactions").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::paxos {

struct RegisterCommand {
  enum class Kind { read, write, cas, txn };
  Kind kind = Kind::read;
  nlohmann::json value;  // write: the new value; txn: the micro-operations
  nlohmann::json from;   // cas: the expected value
  nlohmann::json to;     // cas: the new value
};

struct Applied {
  nlohmann::json result;   // read: the value read; txn: the micro-operations, reads filled in
  bool cas_mismatch = false;  // cas only: the current value differed from `from`
};

// The register that holds the transactional keyspace (under Paxos; the quorum node keeps each
// transactional key in a register of its own, txn_key_register).
inline const std::string txn_register_key = "@txn";
inline std::string txn_key_register(const nlohmann::json& key) { return "@txn/" + key.dump(); }

// The key a transaction's micro-operation names, as the transactional keyspace's object key.
inline std::string txn_key_text(const nlohmann::json& micro_op) { return micro_op.at(1).dump(); }

// Why `micro_ops` is not a transaction apply_txn can run (nullopt when it is): a non-empty array
// of ["append", k, v], ["w", k, v] or ["r", k, v], each key an integer or a string.
inline std::optional<std::string> txn_micro_ops_error(const nlohmann::json& micro_ops) {
  if (!micro_ops.is_array() || micro_ops.empty()) return "a transaction is a non-empty array of micro-operations";
  for (std::size_t i = 0; i < micro_ops.size(); ++i) {
    const nlohmann::json& op = micro_ops[i];
    const std::string where = "micro-operation " + std::to_string(i) + " (" + op.dump() + ")";
    if (!op.is_array() || op.size() != 3) return where + " is not [f, key, value]";
    if (!op[0].is_string() || (op[0] != "append" && op[0] != "r" && op[0] != "w"))
      return where + ": f must be \"append\", \"r\" or \"w\"";
    if (!op[1].is_number_integer() && !op[1].is_string()) return where + ": the key must be an integer or a string";
  }
  return std::nullopt;
}

// Applies one transaction to the keyspace `space` (null: empty), in place.
inline nlohmann::json apply_txn(const nlohmann::json& micro_ops, nlohmann::json& space) {
  if (!space.is_object()) space = nlohmann::json::object();
  nlohmann::json done = micro_ops;
  for (nlohmann::json& micro_op : done) {
    const std::string& f = micro_op.at(0).get_ref<const std::string&>();
    nlohmann::json& current = space[txn_key_text(micro_op)];  // null when the key is new
    if (f == "r") {
      micro_op[2] = current;
    } else if (f == "w") {
      current = micro_op[2];
    } else {  // append
      if (!current.is_array()) current = nlohmann::json::array();
      current.push_back(micro_op[2]);
    }
    if (current.is_null()) space.erase(txn_key_text(micro_op));  // a read of a key never written
  }
  return done;
}

// Applies `command` to `value` in place.
inline Applied apply_command(const RegisterCommand& command, nlohmann::json& value) {
  switch (command.kind) {
    case RegisterCommand::Kind::read: return Applied{value, false};
    case RegisterCommand::Kind::write: value = command.value; return Applied{nullptr, false};
    case RegisterCommand::Kind::cas:
      if (value == command.from) {
        value = command.to;
        return Applied{nullptr, false};
      }
      return Applied{nullptr, true};  // the accept phase still confirms the current value
    case RegisterCommand::Kind::txn: return Applied{apply_txn(command.value, value), false};
  }
  return Applied{nullptr, false};
}

struct BatchApplied {
  nlohmann::json next;        // the value to propose: after the last command
  std::vector<Applied> each;  // per command, in order
};

inline BatchApplied apply_commands(const std::vector<RegisterCommand>& commands, const nlohmann::json& current) {
  BatchApplied batch{current, {}};
  batch.each.reserve(commands.size());
  for (const RegisterCommand& command : commands) batch.each.push_back(apply_command(command, batch.next));
  return batch;
}

// A transaction that only reads.
inline bool reads_only(const RegisterCommand& command) {
  if (command.kind == RegisterCommand::Kind::read) return true;
  if (command.kind != RegisterCommand::Kind::txn) return false;
  for (const nlohmann::json& micro_op : command.value)
    if (micro_op.at(0) != "r") return false;
  return true;
}

// True when some command may change the value (a write or cas), so an accept of it that went
// out must never be applied again; reads only.
inline bool any_may_change(const std::vector<RegisterCommand>& commands) {
  for (const RegisterCommand& command : commands)
    if (!reads_only(command)) return true;
  return false;
}

}  // namespace faultline::paxos
