// A small, strict reader for EDN (https://github.com/edn-format/edn), enough for the
// histories Jepsen and Knossos write: nil, booleans, integers (with an N suffix too), floats,
// strings, characters, keywords, symbols, vectors, lists, sets, maps, tagged values
// (#inst "...", #uuid "..."), comments, #_ discards and commas as whitespace.
//
// Histories can hold millions of ops, so EdnReader streams: it hands over the elements of a
// top-level vector or list one at a time (and any other top-level form as itself), never
// building the whole file as one value. Errors are InputError values whose line is where the
// offending form starts and whose message begins with the column, e.g.
//   "history.edn:3: column 9: the string is never closed (the input ends at line 7)"
// Columns count bytes from 1.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "input_error.h"

namespace faultline {

// How much of a stream the reader holds at a time. Unit: bytes.
inline constexpr std::size_t edn_read_chunk_bytes = 64 * 1024;

// How many collections (and tags and #_ discards) may enclose a value. Deeper input is an
// error rather than a stack overflow. Unit: levels of nesting.
inline constexpr int edn_nesting_depth_max = 128;

enum class EdnKind : std::uint8_t {
  nil, boolean, integer,
  big_integer,  // does not fit in 64 bits (or has an N suffix and does not fit); digits in `text`
  floating, string, character, keyword, symbol,
  vector, list, set, map,
  tagged,  // `text` is the tag without '#', `items[0]` the value
};

struct EdnValue {
  EdnKind kind = EdnKind::nil;
  bool boolean = false;
  std::int64_t integer = 0;
  double floating = 0;
  // String contents (unescaped), keyword name without ':', symbol, character as UTF-8,
  // tag name, or the digits of a big integer.
  std::string text;
  // Elements of a collection; a map's keys and values alternate: k0 v0 k1 v1 ...
  std::vector<EdnValue> items;
  std::int64_t line = 0;    // where the value starts, 1-based
  std::int64_t column = 0;  // in bytes, 1-based

  bool is_keyword(std::string_view name) const { return kind == EdnKind::keyword && text == name; }
  bool is_collection() const {
    return kind == EdnKind::vector || kind == EdnKind::list || kind == EdnKind::set || kind == EdnKind::map;
  }
};

class EdnReader {
 public:
  // Reads `in` in chunks of `chunk_bytes` (at least 2); `source` names the input in errors.
  EdnReader(std::istream& in, std::string source, std::size_t chunk_bytes = edn_read_chunk_bytes);
  // Reads `text`, which must outlive the reader.
  EdnReader(std::string_view text, std::string source);
  ~EdnReader();
  EdnReader(const EdnReader&) = delete;
  EdnReader& operator=(const EdnReader&) = delete;

  // The next element of the input read as a stream: the elements of a top-level vector or
  // list one at a time, and any other top-level form (a map, say) as itself. nullopt at the
  // end of the input. After an error, every call returns that error.
  Expected<std::optional<EdnValue>> next_element();

  // The next whole top-level form; nullopt at the end of the input.
  Expected<std::optional<EdnValue>> next_form();

 private:
  class Parser;
  std::unique_ptr<Parser> parser_;
};

// Parses `text`, which must hold exactly one form (and optional whitespace and comments).
Expected<EdnValue> parse_edn(std::string_view text, const std::string& source = "");

// The value as JSON: nil -> null, keywords, symbols and characters -> strings without their
// ':' or '\', vectors, lists and sets -> arrays, maps -> objects whose keys are the keys'
// text (strings and keywords as themselves, anything else as its EDN text), tagged values ->
// their inner value, big integers -> strings of their digits (JSON numbers would round them).
nlohmann::json edn_to_json(const EdnValue& value);

// The value written back as EDN, for messages. Longer text is cut to `length_max` bytes
// and ends in "...".
std::string edn_to_text(const EdnValue& value, std::size_t length_max = 80);

}  // namespace faultline
