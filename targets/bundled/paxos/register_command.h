// The functions a client applies to a register in one consensus instance: read, write, cas.
// CASPaxos runs every operation, reads included, as "apply f to the current value and have a
// majority accept the result".
#pragma once

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

}  // namespace faultline::paxos
