#include "model_text.h"

#include <algorithm>
#include <vector>

namespace faultline {

std::string join_states(std::span<const ModelState> states, const ValueTable& values,
                        std::string (*show_state)(ModelState, const ValueTable&)) {
  std::vector<ModelState> sorted(states.begin(), states.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (sorted.empty()) return "nothing";
  std::string text;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0) text += (i + 1 == sorted.size()) ? " or " : ", ";
    text += show_state(sorted[i], values);
  }
  return text;
}

}  // namespace faultline
