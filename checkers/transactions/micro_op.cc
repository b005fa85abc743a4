#include "transactions/micro_op.h"

namespace faultline::transactions {

std::expected<WrittenMicroOp, MicroOpError> parse_micro_op(const nlohmann::json& micro_op) {
  if (!micro_op.is_array() || micro_op.size() != 3 || !micro_op[0].is_string())
    return std::unexpected(MicroOpError{false, "a micro-op must be [f key value], got " + micro_op.dump()});
  const std::string& f = micro_op[0].get_ref<const std::string&>();
  WrittenMicroOp parsed{MicroOpFunction::read, &micro_op[1], &micro_op[2]};
  if (f == "r" || f == "read") parsed.f = MicroOpFunction::read;
  else if (f == "w" || f == "write") parsed.f = MicroOpFunction::write;
  else if (f == "append") parsed.f = MicroOpFunction::append;
  else return std::unexpected(MicroOpError{true, "unknown micro-op function '" + f + "' in " + micro_op.dump()});
  if (!is_scalar(*parsed.key))
    return std::unexpected(MicroOpError{false, "a key must be an integer or a string, got " + parsed.key->dump()});
  return parsed;
}

}  // namespace faultline::transactions
