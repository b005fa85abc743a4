#include "input_error.h"

namespace faultline {

std::string InputError::to_string() const {
  std::string text = source.empty() ? std::string("<input>") : source;
  if (line > 0) text += ":" + std::to_string(line);
  text += ": ";
  if (!field.empty()) text += "field '" + field + "': ";
  text += message;
  return text;
}

}  // namespace faultline
