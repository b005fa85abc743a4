#include "base64.h"

#include <array>
#include <cstdint>

namespace faultline {

namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr int not_in_alphabet = -1;

constexpr std::array<int, 256> make_sextet_of_character() {
  std::array<int, 256> sextets{};
  sextets.fill(not_in_alphabet);
  for (std::size_t i = 0; i < alphabet.size(); ++i)
    sextets[static_cast<unsigned char>(alphabet[i])] = static_cast<int>(i);
  return sextets;
}
constexpr std::array<int, 256> sextet_of_character = make_sextet_of_character();

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t present = bytes.size() - i < 3 ? bytes.size() - i : 3;
    std::uint32_t group = 0;
    for (std::size_t j = 0; j < 3; ++j)
      group = (group << 8) | (j < present ? static_cast<unsigned char>(bytes[i + j]) : 0u);
    // `present` bytes fill present + 1 characters; the rest of the four are padding.
    for (std::size_t j = 0; j < 4; ++j) text += j <= present ? alphabet[(group >> (18 - 6 * j)) & 63] : '=';
  }
  return text;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string bytes;
  bytes.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last_group = i + 4 == text.size();
    std::uint32_t group = 0;
    std::size_t padding = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char character = text[i + j];
      if (character == '=') {
        // Only the last two places of the last group may be padding, and once it starts it
        // goes on to the end ("A=B=" is not base64).
        if (!last_group || j < 2) return std::nullopt;
        ++padding;
        group <<= 6;
        continue;
      }
      const int sextet = sextet_of_character[static_cast<unsigned char>(character)];
      if (sextet == not_in_alphabet || padding > 0) return std::nullopt;
      group = (group << 6) | static_cast<std::uint32_t>(sextet);
    }
    for (std::size_t j = 0; j < 3 - padding; ++j) bytes += static_cast<char>((group >> (16 - 8 * j)) & 0xff);
  }
  return bytes;
}

}  // namespace faultline
