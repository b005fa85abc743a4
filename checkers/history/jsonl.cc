#include "jsonl.h"

#include "jsonl_scan.h"

#include <istream>
#include <ostream>

namespace faultline {
namespace {

using nlohmann::json;

std::optional<std::int64_t> as_integer(const json& v) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_number_unsigned() && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(v.get<std::uint64_t>());
  return std::nullopt;
}

}  // namespace

Expected<Op> parse_jsonl_op(std::string_view line, const std::string& source, std::int64_t line_number) {
  auto error = [&](std::string field, std::string message) {
    return std::unexpected(InputError{source, line_number, std::move(field), std::move(message)});
  };
  json object = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) return error("", "not valid JSON");
  if (!object.is_object()) return error("", "expected a JSON object, one op per line");

  Op op;
  if (auto it = object.find("index"); it != object.end() && !it->is_null()) {
    auto index = as_integer(*it);
    if (!index || *index < 0) return error("index", "expected a non-negative integer, got " + it->dump());
    op.index = *index;
  }
  if (auto it = object.find("time"); it != object.end() && !it->is_null()) {
    auto time = as_integer(*it);
    if (!time) return error("time", "expected an integer (nanoseconds since the test started), got " + it->dump());
    op.time_ns = *time;
  }
  auto process = object.find("process");
  if (process == object.end()) return error("process", "missing");
  if (process->is_string() && process->get_ref<const std::string&>() == "nemesis") {
    op.process = nemesis_process;
  } else {
    auto number = as_integer(*process);
    if (!number || *number < 0)
      return error("process", "expected a non-negative integer or \"nemesis\", got " + process->dump());
    op.process = *number;
  }
  auto type = object.find("type");
  if (type == object.end()) return error("type", "missing");
  std::optional<OpType> parsed_type;
  if (type->is_string()) parsed_type = parse_op_type(type->get_ref<const std::string&>());
  if (!parsed_type) return error("type", "expected one of \"invoke\", \"ok\", \"fail\", \"info\", got " + type->dump());
  op.type = *parsed_type;
  auto f = object.find("f");
  if (f == object.end()) return error("f", "missing");
  if (!f->is_string() || f->get_ref<const std::string&>().empty())
    return error("f", "expected a non-empty string, got " + f->dump());
  op.f = f->get<std::string>();
  if (auto it = object.find("key"); it != object.end() && !it->is_null()) {
    if (it->is_string()) op.key = it->get<std::string>();
    else if (it->is_number_integer() || it->is_number_unsigned()) op.key = it->dump();
    else return error("key", "expected a string or an integer, got " + it->dump());
  }
  if (auto it = object.find("value"); it != object.end()) op.value = std::move(*it);
  if (auto it = object.find("error"); it != object.end() && !it->is_null()) {
    if (!it->is_string()) return error("error", "expected a string, got " + it->dump());
    op.error = it->get<std::string>();
  }
  if (auto it = object.find("answer"); it != object.end() && !it->is_null()) {
    bool known = false;
    for (const char* answer : answer_classes) known = known || (it->is_string() && *it == answer);
    if (!known) return error("answer", "expected one of \"answered\", \"refused\", \"unreachable\", \"timeout\", got " + it->dump());
    op.answer = it->get<std::string>();
  }
  if (auto it = object.find("node"); it != object.end() && !it->is_null()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty())
      return error("node", "expected a node name, got " + it->dump());
    op.node = it->get<std::string>();
  }
  return op;
}

Expected<void> read_jsonl(std::istream& in, const std::string& source, const OpSink& sink) {
  std::string line;
  std::int64_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (auto scanned = scan_jsonl_op(line)) {
      auto accepted = sink(std::move(*scanned), line_number);
      if (!accepted) return accepted;
      continue;
    }
    auto op = parse_jsonl_op(line, source, line_number);
    if (!op) return std::unexpected(op.error());
    auto accepted = sink(std::move(*op), line_number);
    if (!accepted) return accepted;
  }
  if (in.bad()) return std::unexpected(InputError{source, line_number, "", "read error"});
  return {};
}

nlohmann::json op_to_json(const Op& op) {
  json object = {{"index", op.index}, {"time", op.time_ns}};
  if (op.is_nemesis()) object["process"] = "nemesis";
  else object["process"] = op.process;
  object["type"] = std::string(to_string(op.type));
  object["f"] = op.f;
  if (op.key) object["key"] = *op.key;
  object["value"] = op.value;
  if (op.error) object["error"] = *op.error;
  if (op.answer) object["answer"] = *op.answer;
  if (op.node) object["node"] = *op.node;
  return object;
}

void JsonlWriter::write(const Op& op) {
  // Written by hand rather than through op_to_json: this runs once per op on the
  // controller's hot path, and field order stays fixed for people reading the file.
  buffer_.clear();
  buffer_ += "{\"index\":";
  buffer_ += std::to_string(op.index);
  buffer_ += ",\"time\":";
  buffer_ += std::to_string(op.time_ns);
  buffer_ += ",\"process\":";
  buffer_ += op.is_nemesis() ? std::string("\"nemesis\"") : std::to_string(op.process);
  buffer_ += ",\"type\":\"";
  buffer_ += to_string(op.type);
  buffer_ += "\",\"f\":";
  buffer_ += json(op.f).dump();
  if (op.key) {
    buffer_ += ",\"key\":";
    buffer_ += json(*op.key).dump();
  }
  buffer_ += ",\"value\":";
  buffer_ += op.value.dump(-1, ' ', false, json::error_handler_t::replace);
  if (op.error) {
    buffer_ += ",\"error\":";
    buffer_ += json(*op.error).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  if (op.answer) {
    buffer_ += ",\"answer\":";
    buffer_ += json(*op.answer).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  if (op.node) {
    buffer_ += ",\"node\":";
    buffer_ += json(*op.node).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  buffer_ += "}\n";
  out_ << buffer_;
}

}  // namespace faultline
