// The functions a client applies to a register in one consensus instance: read, write, cas.
// CASPaxos runs every operation, reads included, as "apply f to the current value and have a
// majority accept the result". A batch of commands on one key is one function too: applied in
// order, each to the value the one before left, and the last value is proposed. Linearizable,
// because the commands of a batch were all pending when it started: their order in the batch
// is their order in the history.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

namespace faultline::paxos {

struct RegisterCommand {
  enum class Kind { read, write, cas };
  Kind kind = Kind::read;
  nlohmann::json value;  // write: the new value
  nlohmann::json from;   // cas: the expected value
  nlohmann::json to;     // cas: the new value
};

struct Applied {
  nlohmann::json next;     // the value to propose
  nlohmann::json result;   // read: the value read; otherwise null
  bool cas_mismatch = false;  // cas only: the current value differed from `from`
};

inline Applied apply_command(const RegisterCommand& command, const nlohmann::json& current) {
  switch (command.kind) {
    case RegisterCommand::Kind::read: return Applied{current, current, false};
    case RegisterCommand::Kind::write: return Applied{command.value, nullptr, false};
    case RegisterCommand::Kind::cas:
      if (current == command.from) return Applied{command.to, nullptr, false};
      return Applied{current, nullptr, true};  // the accept phase still confirms `current`
  }
  return Applied{current, nullptr, false};
}

struct BatchApplied {
  nlohmann::json next;        // the value to propose: the last command's
  std::vector<Applied> each;  // per command, in order
};

inline BatchApplied apply_commands(const std::vector<RegisterCommand>& commands, const nlohmann::json& current) {
  BatchApplied batch{current, {}};
  batch.each.reserve(commands.size());
  for (const RegisterCommand& command : commands) {
    batch.each.push_back(apply_command(command, batch.next));
    batch.next = batch.each.back().next;
  }
  return batch;
}

// True when some command may change the value (a write or cas), so an accept of it that went
// out must never be applied again; reads only.
inline bool any_may_change(const std::vector<RegisterCommand>& commands) {
  for (const RegisterCommand& command : commands)
    if (command.kind != RegisterCommand::Kind::read) return true;
  return false;
}

}  // namespace faultline::paxos
