#include "edn.h"

#include "edn_source.h"
#include "utf8.h"

#include <charconv>
#include <cstring>
#include <cstdlib>
#include <limits>

namespace faultline {
namespace {

using edn_detail::end_of_input;
using edn_detail::Source;

bool is_whitespace(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == ','; }
bool is_closer(int c) { return c == ']' || c == ')' || c == '}'; }
bool is_delimiter(int c) {
  return c == end_of_input || is_whitespace(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '"' || c == ';';
}
bool is_digit(int c) { return c >= '0' && c <= '9'; }
bool is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
// Symbols and keywords: letters, digits, .*+!-_?$%&=<>/'#: and any non-ASCII byte (UTF-8).
bool is_symbol_char(int c) {
  return is_alpha(c) || is_digit(c) || c >= 0x80 || (c > 0 && std::strchr(".*+!-_?$%&=<>/'#:", c) != nullptr);
}
bool is_token_start(int c) {
  return is_alpha(c) || is_digit(c) || c >= 0x80 || (c > 0 && std::strchr(".*+!-_?$%&=<>/", c) != nullptr);
}

std::string quote_char(int c) {
  if (c == end_of_input) return "the end of the input";
  if (c == '\n') return "a line break";
  if (c < 0x20 || c >= 0x7f) return "byte " + std::to_string(c);
  return std::string("'") + static_cast<char>(c) + "'";
}

const char* collection_name(EdnKind kind) {
  switch (kind) {
    case EdnKind::vector: return "vector";
    case EdnKind::list: return "list";
    case EdnKind::set: return "set";
    default: return "map";
  }
}

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

std::optional<std::uint32_t> parse_hex4(std::string_view digits) {
  std::uint32_t value = 0;
  if (digits.size() != 4) return std::nullopt;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + 4, value, 16);
  if (error != std::errc() || end != digits.data() + 4) return std::nullopt;
  return value;
}

}  // namespace

// Recursive descent, with the depth passed down so it can be capped. Each read_* returns
// false once fail() has recorded the error: no exceptions, and the first error is the one
// reported.
class EdnReader::Parser {
 public:
  Parser(std::istream& in, std::size_t chunk_bytes, std::string name) : in_(in, chunk_bytes), name_(std::move(name)) {}
  Parser(std::string_view text, std::string name) : in_(text), name_(std::move(name)) {}

  Expected<std::optional<EdnValue>> next(bool enter_top_collection);

 private:
  bool fail(std::int64_t line, std::int64_t column, std::string message) {
    if (!error_) error_ = InputError{name_, line, "", "column " + std::to_string(column) + ": " + message};
    return false;
  }
  bool fail_here(std::string message) { return fail(in_.line(), in_.column(), std::move(message)); }
  bool fail_too_deep() {
    return fail_here("a value nested in more than " + std::to_string(edn_nesting_depth_max) +
                     " collections (edn_nesting_depth_max)");
  }

  bool skip_blank(int depth);
  bool read_value(EdnValue& out, int depth);
  bool read_collection(EdnValue& out, EdnKind kind, int closer, int depth);
  bool read_string(EdnValue& out);
  bool read_character(EdnValue& out);
  bool read_dispatch(EdnValue& out, int depth);
  bool read_token(EdnValue& out);
  bool read_number(EdnValue& out, std::string_view token);
  void take_token();

  Source in_;
  std::string name_;
  std::optional<InputError> error_;
  std::string token_;  // reused for every token and string: no allocation per value
  // The top-level vector or list whose elements next(true) hands over.
  bool in_top_collection_ = false;
  int top_closer_ = 0;
  std::int64_t top_line_ = 0;
  std::int64_t top_column_ = 0;
};

// Skips whitespace, commas, comments and #_ discarded forms.
bool EdnReader::Parser::skip_blank(int depth) {
  for (;;) {
    const int c = in_.peek();
    if (is_whitespace(c)) {
      in_.advance();
    } else if (c == ';') {
      while (in_.peek() != end_of_input && in_.peek() != '\n') in_.advance();
    } else if (c == '#' && in_.peek_second() == '_') {
      // A discarded form nests like any other, so #_#_#_... cannot overflow the stack.
      if (depth + 1 > edn_nesting_depth_max) return fail_too_deep();
      const std::int64_t line = in_.line(), column = in_.column();
      in_.advance();
      in_.advance();
      if (!skip_blank(depth + 1)) return false;
      if (in_.peek() == end_of_input || is_closer(in_.peek()))
        return fail(line, column, "'#_' has no form after it to discard");
      EdnValue discarded;
      if (!read_value(discarded, depth + 1)) return false;
    } else {
      return true;
    }
  }
}

bool EdnReader::Parser::read_value(EdnValue& out, int depth) {
  if (!skip_blank(depth)) return false;
  out.line = in_.line();
  out.column = in_.column();
  if (depth > edn_nesting_depth_max) return fail_too_deep();
  const int c = in_.peek();
  switch (c) {
    case end_of_input: return fail_here("expected a value, got the end of the input");
    case '[': return read_collection(out, EdnKind::vector, ']', depth);
    case '(': return read_collection(out, EdnKind::list, ')', depth);
    case '{': return read_collection(out, EdnKind::map, '}', depth);
    case ']': case ')': case '}': return fail_here("unexpected " + quote_char(c) + " with nothing open to close");
    case '"': return read_string(out);
    case '\\': return read_character(out);
    case '#': return read_dispatch(out, depth);
    default: break;
  }
  if (c == ':' || is_token_start(c)) return read_token(out);
  return fail_here("expected a value, got " + quote_char(c));
}

bool EdnReader::Parser::read_collection(EdnValue& out, EdnKind kind, int closer, int depth) {
  out.kind = kind;
  in_.advance();  // the opening bracket (both characters of #{ were consumed for a set)
  for (;;) {
    if (!skip_blank(depth + 1)) return false;
    const int c = in_.peek();
    if (c == closer) {
      in_.advance();
      break;
    }
    if (c == end_of_input) {
      return fail(out.line, out.column, std::string("the ") + collection_name(kind) + " is never closed (the input ends at line " +
                                            std::to_string(in_.line()) + ")");
    }
    if (is_closer(c)) {
      return fail_here("expected '" + std::string(1, static_cast<char>(closer)) + "' to close the " +
                       collection_name(kind) + " opened at line " + std::to_string(out.line) + ", column " +
                       std::to_string(out.column) + ", got " + quote_char(c));
    }
    out.items.emplace_back();
    if (!read_value(out.items.back(), depth + 1)) return false;
  }
  if (kind == EdnKind::map && out.items.size() % 2 != 0)
    return fail(out.line, out.column, "the map has a key without a value (" + std::to_string(out.items.size()) + " forms)");
  return true;
}

bool EdnReader::Parser::read_string(EdnValue& out) {
  out.kind = EdnKind::string;
  token_.clear();
  in_.advance();
  for (;;) {
    const int c = in_.peek();
    if (c == end_of_input)
      return fail(out.line, out.column, "the string is never closed (the input ends at line " + std::to_string(in_.line()) + ")");
    if (c == '"') {
      in_.advance();
      break;
    }
    if (c != '\\') {
      token_ += static_cast<char>(c);
      in_.advance();
      continue;
    }
    const std::int64_t line = in_.line(), column = in_.column();
    in_.advance();
    const int escaped = in_.peek();
    if (escaped != end_of_input) in_.advance();
    switch (escaped) {
      case '"': token_ += '"'; break;
      case '\\': token_ += '\\'; break;
      case 'n': token_ += '\n'; break;
      case 't': token_ += '\t'; break;
      case 'r': token_ += '\r'; break;
      case 'b': token_ += '\b'; break;
      case 'f': token_ += '\f'; break;
      case 'u': {
        std::string digits;
        for (int i = 0; i < 4 && in_.peek() != end_of_input && in_.peek() != '"'; ++i) {
          digits += static_cast<char>(in_.peek());
          in_.advance();
        }
        auto code_point = parse_hex4(digits);
        if (!code_point) return fail(line, column, "'\\u' must be followed by 4 hex digits, got '" + digits + "'");
        if (*code_point >= 0xD800 && *code_point <= 0xDFFF) {
          // A surrogate pair spells one code point beyond the 16-bit range.
          std::string low;
          if (*code_point <= 0xDBFF && in_.peek() == '\\' && in_.peek_second() == 'u') {
            in_.advance();
            in_.advance();
            for (int i = 0; i < 4 && in_.peek() != end_of_input && in_.peek() != '"'; ++i) {
              low += static_cast<char>(in_.peek());
              in_.advance();
            }
          }
          auto low_point = parse_hex4(low);
          if (!low_point || *low_point < 0xDC00 || *low_point > 0xDFFF)
            return fail(line, column, "'\\u" + digits + "' is half of a surrogate pair without its other half");
          *code_point = 0x10000 + ((*code_point - 0xD800) << 10) + (*low_point - 0xDC00);
        }
        append_utf8(token_, *code_point);
        break;
      }
      default:
        return fail(line, column, "unknown escape '\\" + (escaped == end_of_input ? std::string() : std::string(1, static_cast<char>(escaped))) +
                                      "' in a string (expected one of \\\" \\\\ \\n \\t \\r \\b \\f \\uXXXX)");
    }
  }
  if (const auto bad = first_non_utf8_byte(token_))
    return fail(out.line, out.column, "the string is not UTF-8 text (byte " + std::to_string(*bad + 1) + " of it)");
  out.text = token_;
  return true;
}

// Reads characters up to the next delimiter into token_.
void EdnReader::Parser::take_token() {
  token_.clear();
  while (!is_delimiter(in_.peek())) {
    token_ += static_cast<char>(in_.peek());
    in_.advance();
  }
}

bool EdnReader::Parser::read_character(EdnValue& out) {
  out.kind = EdnKind::character;
  in_.advance();  // the backslash
  if (in_.peek() == end_of_input) return fail(out.line, out.column, "a character literal needs a character after '\\'");
  // The first character is taken even if it is a delimiter: \( \] \; are characters.
  const char first = static_cast<char>(in_.peek());
  in_.advance();
  take_token();
  token_.insert(token_.begin(), first);
  static constexpr std::pair<std::string_view, char> named[] = {
      {"newline", '\n'}, {"space", ' '}, {"tab", '\t'}, {"return", '\r'}, {"formfeed", '\f'}, {"backspace", '\b'}};
  for (auto [name, c] : named) {
    if (token_ == name) {
      out.text = std::string(1, c);
      return true;
    }
  }
  if (token_.size() == 5 && token_[0] == 'u') {
    if (auto code_point = parse_hex4(std::string_view(token_).substr(1))) {
      out.text.clear();
      append_utf8(out.text, *code_point);
      return true;
    }
  }
  // One character, which may take several bytes in UTF-8.
  const auto lead = static_cast<unsigned char>(token_[0]);
  const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (token_.size() != length) return fail(out.line, out.column, "unknown character literal '\\" + token_ + "'");
  out.text = token_;
  return true;
}

bool EdnReader::Parser::read_dispatch(EdnValue& out, int depth) {
  const int second = in_.peek_second();
  if (second == '{') {
    in_.advance();  // '#'; read_collection consumes the '{'
    return read_collection(out, EdnKind::set, '}', depth);
  }
  if (second == '#') {  // ##Inf ##-Inf ##NaN
    in_.advance();
    in_.advance();
    take_token();
    out.kind = EdnKind::floating;
    if (token_ == "Inf") out.floating = std::numeric_limits<double>::infinity();
    else if (token_ == "-Inf") out.floating = -std::numeric_limits<double>::infinity();
    else if (token_ == "NaN") out.floating = std::numeric_limits<double>::quiet_NaN();
    else return fail(out.line, out.column, "unknown symbolic value '##" + token_ + "' (expected ##Inf, ##-Inf or ##NaN)");
    return true;
  }
  if (!is_alpha(second)) {
    return fail(out.line, out.column, "'#' must be followed by '{', '_' or a tag such as #inst, got " + quote_char(second));
  }
  in_.advance();
  take_token();
  for (char c : token_) {
    if (!is_symbol_char(static_cast<unsigned char>(c))) return fail(out.line, out.column, "invalid tag '#" + token_ + "'");
  }
  out.kind = EdnKind::tagged;
  out.text = token_;
  if (!skip_blank(depth + 1)) return false;
  if (in_.peek() == end_of_input || is_closer(in_.peek()))
    return fail(out.line, out.column, "the tag '#" + out.text + "' has no value after it");
  out.items.emplace_back();
  return read_value(out.items.back(), depth + 1);
}

bool EdnReader::Parser::read_token(EdnValue& out) {
  take_token();
  std::string_view token = token_;
  const bool keyword = token[0] == ':';
  const bool number = is_digit(token[0]) || ((token[0] == '+' || token[0] == '-') && token.size() > 1 && is_digit(token[1]));
  if (number) return read_number(out, token);
  if (keyword) {
    token.remove_prefix(1);
    if (token.empty()) return fail(out.line, out.column, "a keyword needs a name after ':'");
    if (token[0] == ':') return fail(out.line, out.column, "'::" + std::string(token.substr(1)) + "': auto-resolved keywords are not EDN");
  }
  for (char c : token) {
    if (!is_symbol_char(static_cast<unsigned char>(c)))
      return fail(out.line, out.column, "invalid character " + quote_char(static_cast<unsigned char>(c)) + " in '" + token_ + "'");
  }
  if (const auto bad = first_non_utf8_byte(token_))
    return fail(out.line, out.column, "'" + std::string(token_.substr(0, *bad)) + "...' is not UTF-8 text");
  if (token.back() == '/' && token.size() > 1)
    return fail(out.line, out.column, "'" + token_ + "' has a namespace but no name after '/'");
  if (keyword) {
    out.kind = EdnKind::keyword;
    out.text = token;
  } else if (token == "nil") {
    out.kind = EdnKind::nil;
  } else if (token == "true" || token == "false") {
    out.kind = EdnKind::boolean;
    out.boolean = token == "true";
  } else {
    out.kind = EdnKind::symbol;
    out.text = token;
  }
  return true;
}

// Integers: [+-]?(0|[1-9][0-9]*)N?   Floats: integer part, then .digits and/or e[+-]digits, M?
bool EdnReader::Parser::read_number(EdnValue& out, std::string_view token) {
  auto invalid = [&](std::string why) { return fail(out.line, out.column, "invalid number '" + std::string(token) + "'" + why); };
  std::string_view body = token;
  const bool negative = body[0] == '-';
  if (body[0] == '+' || body[0] == '-') body.remove_prefix(1);
  std::size_t i = 0;
  while (i < body.size() && is_digit(body[i])) ++i;
  if (i > 1 && body[0] == '0') return invalid(" (EDN numbers have no leading zeros)");
  const std::string_view rest = body.substr(i);
  std::string_view digits = body.substr(0, i);
  if (rest.empty() || rest == "N") {
    out.kind = EdnKind::integer;
    std::string signed_digits = negative ? "-" + std::string(digits) : std::string(digits);
    auto [end, error] = std::from_chars(signed_digits.data(), signed_digits.data() + signed_digits.size(), out.integer);
    if (error == std::errc::result_out_of_range) {
      out.kind = EdnKind::big_integer;
      out.text = signed_digits;
    } else if (error != std::errc() || end != signed_digits.data() + signed_digits.size()) {
      return invalid("");
    }
    return true;
  }
  // A float: check the shape ourselves, since from_chars also accepts hex, inf and nan.
  std::size_t j = 0;
  bool fraction = false, exponent = false;
  if (j < rest.size() && rest[j] == '.') {
    fraction = true;
    ++j;
    while (j < rest.size() && is_digit(rest[j])) ++j;
  }
  if (j < rest.size() && (rest[j] == 'e' || rest[j] == 'E')) {
    ++j;
    if (j < rest.size() && (rest[j] == '+' || rest[j] == '-')) ++j;
    const std::size_t exponent_start = j;
    while (j < rest.size() && is_digit(rest[j])) ++j;
    if (j == exponent_start) return invalid(" (the exponent has no digits)");
    exponent = true;
  }
  if (j < rest.size() && rest[j] == 'M') ++j;
  if (j != rest.size() || !(fraction || exponent || rest == "M")) return invalid("");
  std::string text(token.substr(token[0] == '+' ? 1 : 0));
  if (text.back() == 'M') text.pop_back();
  out.kind = EdnKind::floating;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out.floating);
  if (error == std::errc::result_out_of_range) {
    out.floating = std::strtod(text.c_str(), nullptr);  // overflow to inf, underflow to 0, as Clojure reads them
  } else if (error != std::errc() || end != text.data() + text.size()) {
    return invalid("");
  }
  return true;
}

Expected<std::optional<EdnValue>> EdnReader::Parser::next(bool enter_top_collection) {
  if (error_) return std::unexpected(*error_);
  for (;;) {
    const int depth = in_top_collection_ ? 1 : 0;
    if (!skip_blank(depth)) break;
    const int c = in_.peek();
    if (in_.read_failed()) {
      fail_here("cannot read the input");
      break;
    }
    if (in_top_collection_) {
      if (c == top_closer_) {
        in_.advance();
        in_top_collection_ = false;
        continue;
      }
      const EdnKind kind = top_closer_ == ']' ? EdnKind::vector : EdnKind::list;
      if (c == end_of_input) {
        fail(top_line_, top_column_, std::string("the ") + collection_name(kind) +
                                         " is never closed (the input ends at line " + std::to_string(in_.line()) + ")");
        break;
      }
      if (is_closer(c)) {
        fail_here("expected '" + std::string(1, static_cast<char>(top_closer_)) + "' to close the " +
                  collection_name(kind) + " opened at line " + std::to_string(top_line_) + ", column " +
                  std::to_string(top_column_) + ", got " + quote_char(c));
        break;
      }
    } else {
      if (c == end_of_input) return std::nullopt;
      if (enter_top_collection && (c == '[' || c == '(')) {
        in_top_collection_ = true;
        top_closer_ = c == '[' ? ']' : ')';
        top_line_ = in_.line();
        top_column_ = in_.column();
        in_.advance();
        continue;
      }
    }
    EdnValue value;
    if (!read_value(value, depth)) break;
    return value;
  }
  return std::unexpected(*error_);
}

EdnReader::EdnReader(std::istream& in, std::string source, std::size_t chunk_bytes)
    : parser_(std::make_unique<Parser>(in, chunk_bytes, std::move(source))) {}
EdnReader::EdnReader(std::string_view text, std::string source)
    : parser_(std::make_unique<Parser>(text, std::move(source))) {}
EdnReader::~EdnReader() = default;

Expected<std::optional<EdnValue>> EdnReader::next_element() { return parser_->next(true); }
Expected<std::optional<EdnValue>> EdnReader::next_form() { return parser_->next(false); }

Expected<EdnValue> parse_edn(std::string_view text, const std::string& source) {
  EdnReader reader(text, source);
  auto first = reader.next_form();
  if (!first) return std::unexpected(first.error());
  if (!*first) return std::unexpected(InputError{source, 1, "", "column 1: expected a value, got the end of the input"});
  auto second = reader.next_form();
  if (!second) return std::unexpected(second.error());
  if (*second) {
    return std::unexpected(InputError{source, (*second)->line, "",
                                      "column " + std::to_string((*second)->column) +
                                          ": expected the end of the input after one value, got " + edn_to_text(**second)});
  }
  return std::move(**first);
}

}  // namespace faultline
