#include "verdict.h"

namespace faultline {

Verdict merge(Verdict a, Verdict b) {
  if (a == Verdict::invalid || b == Verdict::invalid) return Verdict::invalid;
  if (a == Verdict::unknown || b == Verdict::unknown) return Verdict::unknown;
  return Verdict::valid;
}

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::valid: return "valid";
    case Verdict::unknown: return "unknown";
    case Verdict::invalid: return "invalid";
  }
  return "?";
}

nlohmann::json verdict_to_json(Verdict verdict) {
  if (verdict == Verdict::unknown) return "unknown";
  return verdict == Verdict::valid;
}

}  // namespace faultline
