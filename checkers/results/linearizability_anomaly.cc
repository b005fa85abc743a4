#include "linearizability_anomaly.h"

namespace faultline {

using nlohmann::json;

namespace {

template <typename T>
std::optional<T> optional_field(const json& object, const char* name) {
  if (!object.contains(name) || object[name].is_null()) return std::nullopt;
  return object[name].get<T>();
}

std::vector<AnomalyOp> ops_field(const json& object, const char* name) {
  std::vector<AnomalyOp> ops;
  if (!object.contains(name) || !object[name].is_array()) return ops;
  for (const json& op : object[name])
    if (op.is_object()) ops.push_back(op.get<AnomalyOp>());
  return ops;
}

}  // namespace

const char* method_name(LinearizabilityAnomaly::Method method) {
  return method == LinearizabilityAnomaly::Method::overwrite ? "overwrite" : "search";
}

void to_json(json& out, const AnomalyOp& op) {
  out = {{"process", op.process}, {"f", op.f},           {"input", op.input},
         {"type", op.type},       {"value", op.value},   {"invoke_index", op.invoke_index},
         {"invoke_time", op.invoke_time_ns}};
  if (op.complete_index) out["complete_index"] = *op.complete_index;
  if (op.complete_time_ns) out["complete_time"] = *op.complete_time_ns;
  if (op.state_after) out["state_after"] = *op.state_after;
}

void from_json(const json& in, AnomalyOp& op) {
  op.process = in.value("process", std::int64_t{0});
  op.f = in.value("f", std::string());
  op.input = in.value("input", op.f.empty() ? std::string("?") : op.f);
  op.type = in.value("type", std::string("ok"));
  op.value = in.value("value", json());
  op.invoke_index = in.value("invoke_index", std::int64_t{-1});
  op.complete_index = optional_field<std::int64_t>(in, "complete_index");
  op.invoke_time_ns = in.value("invoke_time", std::int64_t{0});
  op.complete_time_ns = optional_field<std::int64_t>(in, "complete_time");
  op.state_after = optional_field<std::string>(in, "state_after");
}

void to_json(json& out, const LinearizabilityAnomaly& anomaly) {
  out = {{"key", anomaly.key},
         {"method", method_name(anomaly.method)},
         {"explanation", anomaly.explanation},
         {"op", anomaly.op},
         {"linearized", anomaly.linearized},
         {"linearized_count", anomaly.linearized_count},
         {"concurrent", anomaly.concurrent},
         {"states", anomaly.states}};
  if (anomaly.setter) out["setter"] = *anomaly.setter;
  if (anomaly.overwriter) out["overwriter"] = *anomaly.overwriter;
}

void from_json(const json& in, LinearizabilityAnomaly& anomaly) {
  anomaly.key = in.value("key", std::string());
  anomaly.method = in.value("method", std::string("search")) == "overwrite" ? LinearizabilityAnomaly::Method::overwrite
                                                                          : LinearizabilityAnomaly::Method::search;
  anomaly.explanation = in.value("explanation", std::string());
  anomaly.op = in.contains("op") && in["op"].is_object() ? in["op"].get<AnomalyOp>() : AnomalyOp{};
  anomaly.setter = in.contains("setter") && in["setter"].is_object() ? std::optional(in["setter"].get<AnomalyOp>())
                                                                     : std::nullopt;
  anomaly.overwriter = in.contains("overwriter") && in["overwriter"].is_object()
                           ? std::optional(in["overwriter"].get<AnomalyOp>())
                           : std::nullopt;
  anomaly.linearized = ops_field(in, "linearized");
  anomaly.linearized_count = in.value("linearized_count", anomaly.linearized.size());
  anomaly.concurrent = ops_field(in, "concurrent");
  anomaly.states.clear();
  if (in.contains("states") && in["states"].is_array())
    for (const json& state : in["states"]) anomaly.states.push_back(state.is_string() ? state.get<std::string>() : state.dump());
}

}  // namespace faultline
