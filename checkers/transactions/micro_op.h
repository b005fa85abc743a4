// One micro-op of a transaction as it is written in an op's value: [f key value], where f is
// one of Elle's names (r, w, append) or Knossos' read and write (aliases of r and w), and the
// key is an integer or a string. Shared by the transactional checkers (transactions.h) and
// the multi-register model (models/multi_register.cc), which both read Jepsen's txn ops.
#pragma once

#include <cstdint>
#include <expected>
#include <string>

#include <nlohmann/json.hpp>

namespace faultline::transactions {

enum class MicroOpFunction : std::uint8_t { read, write, append };

// Views into the parsed JSON, which must outlive it.
struct WrittenMicroOp {
  MicroOpFunction f = MicroOpFunction::read;
  const nlohmann::json* key = nullptr;
  const nlohmann::json* value = nullptr;
};

struct MicroOpError {
  bool unknown_function = false;  // well formed, but f is none of the names above
  std::string message;            // for people: "a micro-op must be [f key value], got 3"
};

std::expected<WrittenMicroOp, MicroOpError> parse_micro_op(const nlohmann::json& micro_op);

// Keys, appended elements and written values are integers or strings.
inline bool is_scalar(const nlohmann::json& value) { return value.is_number_integer() || value.is_string(); }

}  // namespace faultline::transactions
