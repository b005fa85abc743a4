#include "jepsen_log.h"

#include <charconv>
#include <istream>

#include "edn.h"
#include "utf8.h"

namespace faultline {
namespace {

constexpr std::string_view logger_marker = "jepsen.util - ";
constexpr std::size_t line_text_in_errors_max = 80;

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
  return text;
}

// Takes the next field (up to a tab or a space) off the front of `rest`.
std::string_view take_field(std::string_view& rest) {
  rest = trim(rest);
  std::size_t end = 0;
  while (end < rest.size() && !is_blank(rest[end])) ++end;
  std::string_view field = rest.substr(0, end);
  rest.remove_prefix(end);
  return field;
}

std::string shorten(std::string_view text) {
  if (text.size() <= line_text_in_errors_max) return std::string(text);
  return std::string(text.substr(0, line_text_in_errors_max)) + "...";
}

}  // namespace

Expected<Op> parse_jepsen_log_line(std::string_view line, const std::string& source, std::int64_t line_number) {
  auto error = [&](std::string field, std::string message) {
    return std::unexpected(InputError{source, line_number, std::move(field), std::move(message)});
  };
  if (const auto bad = first_non_utf8_byte(line))
    return error("", "the line is not UTF-8 text (byte " + std::to_string(*bad + 1) + " of it)");
  const std::size_t marker = line.find(logger_marker);
  if (marker == std::string_view::npos) {
    return error("", "expected an op line such as 'INFO  jepsen.util - 3\\t:invoke\\t:cas\\t[1 4]', got '" +
                         shorten(trim(line)) + "'");
  }
  std::string_view rest = line.substr(marker + logger_marker.size());
  const std::string_view process = take_field(rest);
  const std::string_view type = take_field(rest);
  const std::string_view f = take_field(rest);
  const std::string_view value = trim(rest);

  Op op;
  if (process.empty()) return error("process", "missing");
  if (process == ":nemesis") {
    op.process = nemesis_process;
  } else {
    auto [end, failure] = std::from_chars(process.data(), process.data() + process.size(), op.process);
    if (failure != std::errc() || end != process.data() + process.size() || op.process < 0)
      return error("process", "expected a non-negative integer or :nemesis, got '" + std::string(process) + "'");
  }
  if (type.empty()) return error("type", "missing");
  std::optional<OpType> parsed_type;
  if (type.front() == ':') parsed_type = parse_op_type(type.substr(1));
  if (!parsed_type) return error("type", "expected one of :invoke, :ok, :fail, :info, got '" + std::string(type) + "'");
  op.type = *parsed_type;
  if (f.empty()) return error("f", "missing");
  if (f.size() < 2 || f.front() != ':') return error("f", "expected a keyword such as :read, got '" + std::string(f) + "'");
  op.f = f.substr(1);
  if (value.empty()) return error("value", "missing");
  auto parsed_value = parse_edn(value, source);
  if (!parsed_value) {
    return error("value", "expected an EDN value such as nil, 3, [1 4] or :timed-out, got '" + shorten(value) +
                              "' (" + parsed_value.error().message + ")");
  }
  op.value = edn_to_json(*parsed_value);
  return op;
}

Expected<void> read_jepsen_log(std::istream& in, const std::string& source, const OpSink& sink) {
  std::string line;
  std::int64_t line_number = 0, op_lines = 0, text_lines = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++text_lines;
    // A whole jepsen.log interleaves other loggers' lines (jepsen.core, the database's own):
    // only jepsen.util's lines are ops.
    if (line.find(logger_marker) == std::string::npos) continue;
    ++op_lines;
    auto op = parse_jepsen_log_line(line, source, line_number);
    if (!op) return std::unexpected(op.error());
    auto accepted = sink(std::move(*op), line_number);
    if (!accepted) return accepted;
  }
  if (in.bad()) return std::unexpected(InputError{source, line_number, "", "cannot read the input"});
  // An empty file is an empty history, as in every other format; text without an op line is
  // not a log of ops at all.
  if (op_lines == 0 && text_lines > 0)
    return std::unexpected(InputError{source, 0, "",
                                      "no op lines (such as 'INFO  jepsen.util - 3\\t:invoke\\t:cas\\t[1 4]') in " +
                                          std::to_string(line_number) + " lines"});
  return {};
}

}  // namespace faultline
