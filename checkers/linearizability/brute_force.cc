#include "brute_force.h"
namespace faultline {
Verdict check_linearizability_brute_force(const History& history, const Model& model, const nlohmann::json& initial) {
  return Verdict::unknown;
}
}  // namespace faultline
