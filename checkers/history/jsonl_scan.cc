#include "jsonl_scan.h"

#include <charconv>

namespace faultline {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skip_space() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\r')) ++at_;
  }
  bool eat(char c) {
    skip_space();
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  bool at_end() {
    skip_space();
    return at_ == text_.size();
  }
  char peek() {
    skip_space();
    return at_ < text_.size() ? text_[at_] : '\0';
  }
  // A string without escapes; nullopt for anything else.
  std::optional<std::string_view> plain_string() {
    if (!eat('"')) return std::nullopt;
    const std::size_t start = at_;
    while (at_ < text_.size() && text_[at_] != '"') {
      const auto c = static_cast<unsigned char>(text_[at_]);
      if (c == '\\' || c < 0x20) return std::nullopt;
      ++at_;
    }
    if (at_ == text_.size()) return std::nullopt;
    return text_.substr(start, at_++ - start);
  }
  std::optional<std::int64_t> integer() {
    skip_space();
    // JSON has no leading zeros ("04"): the full parser rejects them, so must the scanner.
    const std::size_t digits = at_ + (at_ < text_.size() && text_[at_] == '-' ? 1 : 0);
    if (digits + 1 < text_.size() && text_[digits] == '0' && text_[digits + 1] >= '0' && text_[digits + 1] <= '9')
      return std::nullopt;
    std::int64_t value = 0;
    auto [end, error] = std::from_chars(text_.data() + at_, text_.data() + text_.size(), value);
    if (error != std::errc() || end == text_.data() + at_) return std::nullopt;
    const std::size_t next = static_cast<std::size_t>(end - text_.data());
    // 1.5 or 1e3 is a number, but not an integer: the full parser decides.
    if (next < text_.size() && (text_[next] == '.' || text_[next] == 'e' || text_[next] == 'E')) return std::nullopt;
    at_ = next;
    return value;
  }
  bool literal(std::string_view word) {
    skip_space();
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }
  // The value field: null, an integer, a plain string, or a flat array of those.
  std::optional<nlohmann::json> simple_value() {
    const char c = peek();
    if (c == 'n') return literal("null") ? std::optional<nlohmann::json>(nullptr) : std::nullopt;
    if (c == '"') {
      auto text = plain_string();
      return text ? std::optional<nlohmann::json>(std::string(*text)) : std::nullopt;
    }
    if (c == '[') {
      ++at_;
      nlohmann::json array = nlohmann::json::array();
      if (eat(']')) return array;
      do {
        const char e = peek();
        if (e == '[' || e == '{') return std::nullopt;
        auto element = simple_value();
        if (!element) return std::nullopt;
        array.push_back(std::move(*element));
      } while (eat(','));
      return eat(']') ? std::optional<nlohmann::json>(std::move(array)) : std::nullopt;
    }
    auto number = integer();
    return number ? std::optional<nlohmann::json>(*number) : std::nullopt;
  }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace

std::optional<Op> scan_jsonl_op(std::string_view line) {
  Scanner scan(line);
  if (!scan.eat('{')) return std::nullopt;
  Op op;
  bool has_process = false, has_type = false, has_f = false;
  unsigned seen = 0;  // one bit per field: a repeated field goes to the full parser
  auto first_time = [&](unsigned bit) {
    if (seen & bit) return false;
    seen |= bit;
    return true;
  };
  if (scan.eat('}')) return std::nullopt;
  do {
    auto name = scan.plain_string();
    if (!name || !scan.eat(':')) return std::nullopt;
    if (*name == "index") {
      auto index = scan.integer();
      if (!index || *index < 0 || !first_time(1)) return std::nullopt;
      op.index = *index;
    } else if (*name == "time") {
      auto time = scan.integer();
      if (!time || !first_time(2)) return std::nullopt;
      op.time_ns = *time;
    } else if (*name == "process") {
      if (!first_time(4)) return std::nullopt;
      if (scan.peek() == '"') {
        auto text = scan.plain_string();
        if (!text || *text != "nemesis") return std::nullopt;
        op.process = nemesis_process;
      } else {
        auto process = scan.integer();
        if (!process || *process < 0) return std::nullopt;
        op.process = *process;
      }
      has_process = true;
    } else if (*name == "type") {
      auto text = scan.plain_string();
      if (!text || !first_time(8)) return std::nullopt;
      auto type = parse_op_type(*text);
      if (!type) return std::nullopt;
      op.type = *type;
      has_type = true;
    } else if (*name == "f") {
      auto text = scan.plain_string();
      if (!text || text->empty() || !first_time(16)) return std::nullopt;
      op.f = std::string(*text);
      has_f = true;
    } else if (*name == "key") {
      if (!first_time(32)) return std::nullopt;
      const char c = scan.peek();
      if (c == '"') {
        auto text = scan.plain_string();
        if (!text) return std::nullopt;
        op.key = std::string(*text);
      } else if (c == 'n') {
        if (!scan.literal("null")) return std::nullopt;
      } else {
        auto number = scan.integer();
        if (!number) return std::nullopt;
        op.key = std::to_string(*number);
      }
    } else if (*name == "error") {
      auto text = scan.plain_string();
      if (!text || !first_time(128)) return std::nullopt;
      op.error = std::string(*text);
    } else if (*name == "node") {
      auto text = scan.plain_string();
      if (!text || text->empty() || !first_time(256)) return std::nullopt;
      op.node = std::string(*text);
    } else if (*name == "value") {
      auto value = scan.simple_value();
      if (!value || !first_time(64)) return std::nullopt;
      op.value = std::move(*value);
    } else {
      return std::nullopt;  // other fields are ignored, by the full parser
    }
  } while (scan.eat(','));
  if (!scan.eat('}') || !scan.at_end() || !has_process || !has_type || !has_f) return std::nullopt;
  return op;
}

}  // namespace faultline
