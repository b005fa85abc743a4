// Shorthands for the Paxos core tests: commands and a promise on key "k".
#pragma once

#include <nlohmann/json.hpp>

#include "../paxos/messages.h"
#include "../paxos/register_command.h"

namespace faultline::paxos::testing {

inline RegisterCommand read_command() { return {RegisterCommand::Kind::read, nullptr, nullptr, nullptr}; }
inline RegisterCommand write_command(nlohmann::json v) { return {RegisterCommand::Kind::write, std::move(v), nullptr, nullptr}; }
inline RegisterCommand cas_command(nlohmann::json from, nlohmann::json to) {
  return {RegisterCommand::Kind::cas, nullptr, std::move(from), std::move(to)};
}

// A promise of `ballot` on key "k", reporting `accepted` with `value`.
inline Promise promise(const Ballot& ballot, Ballot accepted = {}, nlohmann::json value = nullptr) {
  return Promise{"k", ballot, true, ballot, accepted, std::move(value)};
}

}  // namespace faultline::paxos::testing
