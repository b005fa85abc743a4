// Where a byte of a text file is, for error messages about files people write (target files,
// hosts files): "line 3, column 5".
#pragma once

#include <cstddef>
#include <string>

namespace faultline {

// "line L, column C" of byte `byte` of `text` (both counted from 1).
inline std::string text_position(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') ++line, column = 1;
    else ++column;
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace faultline
