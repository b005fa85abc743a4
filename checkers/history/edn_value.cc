// Turning parsed EDN into JSON (for op values) and back into EDN text (for messages).
#include <charconv>
#include <cmath>

#include "edn.h"

namespace faultline {
namespace {

using nlohmann::json;

// Appends EDN text to `out`, stopping early once it is longer than `length_max`: an error
// message about a huge value needs only its start.
void write_edn(const EdnValue& value, std::string& out, std::size_t length_max) {
  if (out.size() > length_max) return;
  auto write_items = [&](std::string_view open, std::string_view close, bool pairs) {
    out += open;
    for (std::size_t i = 0; i < value.items.size() && out.size() <= length_max; ++i) {
      if (i > 0) out += pairs && i % 2 == 0 ? ", " : " ";
      write_edn(value.items[i], out, length_max);
    }
    out += close;
  };
  switch (value.kind) {
    case EdnKind::nil: out += "nil"; break;
    case EdnKind::boolean: out += value.boolean ? "true" : "false"; break;
    case EdnKind::integer: out += std::to_string(value.integer); break;
    case EdnKind::big_integer: out += value.text + "N"; break;
    case EdnKind::floating: {
      if (std::isnan(value.floating)) {
        out += "##NaN";
      } else if (std::isinf(value.floating)) {
        out += value.floating > 0 ? "##Inf" : "##-Inf";
      } else {
        char digits[32];
        auto [end, error] = std::to_chars(digits, digits + sizeof digits, value.floating);
        std::string_view text(digits, static_cast<std::size_t>(end - digits));
        out += text;
        if (text.find_first_of(".e") == std::string_view::npos) out += ".0";  // stays a float when read back
      }
      break;
    }
    case EdnKind::string:
      out += '"';
      for (char c : value.text) {
        switch (c) {
          case '"': out += "\\\""; break;
          case '\\': out += "\\\\"; break;
          case '\n': out += "\\n"; break;
          case '\t': out += "\\t"; break;
          case '\r': out += "\\r"; break;
          default: out += c;
        }
      }
      out += '"';
      break;
    case EdnKind::character:
      if (value.text == "\n") out += "\\newline";
      else if (value.text == " ") out += "\\space";
      else if (value.text == "\t") out += "\\tab";
      else if (value.text == "\r") out += "\\return";
      else out += "\\" + value.text;
      break;
    case EdnKind::keyword: out += ":" + value.text; break;
    case EdnKind::symbol: out += value.text; break;
    case EdnKind::vector: write_items("[", "]", false); break;
    case EdnKind::list: write_items("(", ")", false); break;
    case EdnKind::set: write_items("#{", "}", false); break;
    case EdnKind::map: write_items("{", "}", true); break;
    case EdnKind::tagged:
      out += "#" + value.text + " ";
      if (!value.items.empty()) write_edn(value.items[0], out, length_max);
      break;
  }
}

std::string map_key_text(const EdnValue& key) {
  switch (key.kind) {
    case EdnKind::string:
    case EdnKind::keyword:
    case EdnKind::symbol:
    case EdnKind::character:
    case EdnKind::big_integer: return key.text;
    default: return edn_to_text(key, std::string::npos);
  }
}

}  // namespace

json edn_to_json(const EdnValue& value) {
  switch (value.kind) {
    case EdnKind::nil: return nullptr;
    case EdnKind::boolean: return value.boolean;
    case EdnKind::integer: return value.integer;
    case EdnKind::floating: return value.floating;
    case EdnKind::big_integer:
    case EdnKind::string:
    case EdnKind::character:
    case EdnKind::keyword:
    case EdnKind::symbol: return value.text;
    case EdnKind::vector:
    case EdnKind::list:
    case EdnKind::set: {
      json array = json::array();
      for (const EdnValue& item : value.items) array.push_back(edn_to_json(item));
      return array;
    }
    case EdnKind::map: {
      json object = json::object();
      for (std::size_t i = 0; i + 1 < value.items.size(); i += 2)
        object[map_key_text(value.items[i])] = edn_to_json(value.items[i + 1]);
      return object;
    }
    case EdnKind::tagged: return value.items.empty() ? json() : edn_to_json(value.items[0]);
  }
  return nullptr;
}

std::string edn_to_text(const EdnValue& value, std::size_t length_max) {
  std::string text;
  write_edn(value, text, length_max);
  if (text.size() > length_max) {
    text.resize(length_max);
    text += "...";
  }
  return text;
}

}  // namespace faultline
