// The counterexample the linearizability checker gives for an invalid key, as one type: the
// checker fills it, results.json stores it under checkers.linearizability.anomaly, and reports
// and the terminal read it back. Its JSON field names are spelled in one place, the
// conversions in linearizability_anomaly.cc; reading is lenient (a missing field takes its
// default), so results written by older versions still render.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline {

// One operation of the counterexample.
struct AnomalyOp {
  std::int64_t process = 0;
  std::string f;
  std::string input;  // the model's words for the operation: "cas 1->2"
  std::string type;   // "ok", or "info" when it never completed
  nlohmann::json value;
  std::int64_t invoke_index = -1;
  std::optional<std::int64_t> complete_index;
  std::int64_t invoke_time_ns = 0;
  std::optional<std::int64_t> complete_time_ns;
  std::optional<std::string> state_after;  // in the linearized order: the model's state after it

  bool completed() const { return complete_time_ns.has_value(); }
};

struct LinearizabilityAnomaly {
  enum class Method { search, overwrite };
  std::string key;
  Method method = Method::search;
  std::string explanation;  // for people: why `op` cannot be placed
  AnomalyOp op;             // the op that cannot be placed
  // overwrite: the op that set the state `op` needs (none: the initial state) and the op that
  // overwrote it before `op` began.
  std::optional<AnomalyOp> setter;
  std::optional<AnomalyOp> overwriter;
  // search: the longest linearizable order found before `op` (its last ops), and its length.
  std::vector<AnomalyOp> linearized;
  std::size_t linearized_count = 0;
  std::vector<AnomalyOp> concurrent;  // ops whose intervals overlap `op`'s
  std::vector<std::string> states;    // the states `op` could follow
};

const char* method_name(LinearizabilityAnomaly::Method method);

void to_json(nlohmann::json& json, const AnomalyOp& op);
void from_json(const nlohmann::json& json, AnomalyOp& op);
void to_json(nlohmann::json& json, const LinearizabilityAnomaly& anomaly);
void from_json(const nlohmann::json& json, LinearizabilityAnomaly& anomaly);

}  // namespace faultline
