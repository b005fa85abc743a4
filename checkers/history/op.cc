#include "op.h"

namespace faultline {

std::string_view to_string(OpType type) {
  switch (type) {
    case OpType::invoke: return "invoke";
    case OpType::ok: return "ok";
    case OpType::fail: return "fail";
    case OpType::info: return "info";
  }
  return "?";
}

std::optional<OpType> parse_op_type(std::string_view text) {
  if (text == "invoke") return OpType::invoke;
  if (text == "ok") return OpType::ok;
  if (text == "fail") return OpType::fail;
  if (text == "info") return OpType::info;
  return std::nullopt;
}

std::string process_name(std::int64_t process) {
  return process == nemesis_process ? std::string("nemesis") : std::to_string(process);
}

std::string describe(const Op& op) {
  std::string text = process_name(op.process);
  text += ' ';
  text += to_string(op.type);
  text += ' ';
  text += op.f;
  if (op.key) {
    text += ' ';
    text += *op.key;
  }
  text += ' ';
  text += op.value.dump();
  return text;
}

}  // namespace faultline
