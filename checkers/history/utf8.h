// Whether text is UTF-8: histories are text, and a value that is not UTF-8 cannot be written
// as JSON (nlohmann refuses to dump it), so the readers refuse it with its line and column.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace faultline {

// The offset of the first byte that does not belong to a well-formed UTF-8 sequence
// (overlong forms, surrogates and code points past U+10FFFF included); nullopt when all do.
inline std::optional<std::size_t> first_non_utf8_byte(std::string_view text) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(at);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the allowed range of the second byte
    if (lead < 0x80) length = 1;
    else if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) length = 3, low = lead == 0xE0 ? 0xA0 : 0x80, high = lead == 0xED ? 0x9F : 0xBF;
    else if (lead >= 0xF0 && lead <= 0xF4) length = 4, low = lead == 0xF0 ? 0x90 : 0x80, high = lead == 0xF4 ? 0x8F : 0xBF;
    else return at;
    if (at + length > text.size()) return at;
    for (std::size_t i = 1; i < length; ++i) {
      const unsigned char next = byte(at + i);
      if (i == 1 ? (next < low || next > high) : (next < 0x80 || next > 0xBF)) return at;
    }
    at += length;
  }
  return std::nullopt;
}

}  // namespace faultline
