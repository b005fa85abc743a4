#include "elle_json.h"

#include <istream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "jsonl.h"

namespace faultline {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

Expected<void> read_elle_json(std::istream& in, const std::string& source, const OpSink& sink) {
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::int64_t line = 1;
  std::size_t i = text.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  auto error = [&](const std::string& message) { return std::unexpected(InputError{source, line, "", message}); };
  auto skip_space = [&] {
    for (; i < text.size() && is_space(text[i]); ++i)
      if (text[i] == '\n') ++line;
  };
  skip_space();
  if (i == text.size()) return {};  // an empty file is an empty history, as in every format
  if (text[i] != '[') return error("expected a JSON array of op objects ('[')");
  ++i;
  bool expect_op = true;  // after '[' or ','
  bool first = true;
  for (;;) {
    skip_space();
    if (i == text.size()) return error("the array of ops is not closed (']')");
    const char c = text[i];
    if (c == ']') {
      if (expect_op && !first) return error("expected an op object after ','");
      ++i;
      skip_space();
      if (i != text.size()) return error("text after the array of ops");
      return {};
    }
    if (c == ',' && !expect_op) {
      ++i;
      expect_op = true;
      continue;
    }
    if (c != '{' || !expect_op) return error(expect_op ? "expected an op object ('{')" : "expected ',' or ']' after an op");
    // The object's extent: braces outside strings, escapes inside them.
    const std::size_t start = i;
    const std::int64_t start_line = line;
    int depth = 0;
    bool in_string = false;
    for (; i < text.size(); ++i) {
      const char d = text[i];
      if (d == '\n') ++line;
      if (in_string) {
        if (d == '\\') ++i;
        else if (d == '"') in_string = false;
      } else if (d == '"') {
        in_string = true;
      } else if (d == '{' || d == '[') {
        ++depth;
      } else if (d == '}' || d == ']') {
        if (--depth == 0) break;
      }
    }
    if (i >= text.size()) {
      line = start_line;
      return error("an op object that is not closed ('}')");
    }
    ++i;
    nlohmann::json object = nlohmann::json::parse(std::string_view(text).substr(start, i - start), nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
      line = start_line;
      return error("not a valid JSON object");
    }
    if (!object.contains("f")) object["f"] = "txn";
    auto op = parse_jsonl_op(object.dump(), source, start_line);
    if (!op) return std::unexpected(op.error());
    if (auto added = sink(std::move(*op), start_line); !added) return added;
    expect_op = false;
    first = false;
  }
}

}  // namespace faultline
