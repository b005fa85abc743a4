#include "model_text.h"

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <vector>

namespace faultline {

std::string join_states(std::span<const ModelState> states, const ValueTable& values, const StateTable& state_table,
                        std::string (*show_state)(ModelState, const ValueTable&, const StateTable&)) {
  std::vector<std::string> shown;
  for (ModelState state : states) shown.push_back(show_state(state, values, state_table));
  // Numbers in numeric order, then the rest (nil, strings) in text order.
  auto number = [](const std::string& text) -> std::optional<double> {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
    return value;
  };
  std::sort(shown.begin(), shown.end(), [&](const std::string& a, const std::string& b) {
    auto x = number(a), y = number(b);
    if (x && y) return *x < *y;
    if (x || y) return x.has_value();
    return a < b;
  });
  shown.erase(std::unique(shown.begin(), shown.end()), shown.end());
  if (shown.empty()) return "nothing";
  std::string text;
  for (std::size_t i = 0; i < shown.size(); ++i) {
    if (i > 0) text += (i + 1 == shown.size()) ? " or " : ", ";
    text += shown[i];
  }
  return text;
}

}  // namespace faultline
