// What --seed accepts, for every command that takes one: a non-negative integer (a negative
// one would wrap around to a huge seed, which is never what was meant).
#pragma once

#include <string>

namespace faultline {

// "" when `text` may be a seed, else what is wrong with it (CLI11's validator convention).
inline std::string seed_text_error(const std::string& text) {
  return text.starts_with('-') ? "must be a non-negative integer, got " + text : std::string();
}

}  // namespace faultline
