#include "transactions/transaction_check.h"

#include <algorithm>

#include "transactions/consistency_models.h"
#include "transactions/dependency_graph.h"
#include "transactions/explain.h"
#include "transactions/list_append.h"
#include "transactions/rw_register.h"
#include "transactions/verify_cycle.h"

namespace faultline::transactions {
namespace {

// Anomalies that make a result unknown rather than invalid (Elle's unknown-anomaly-types).
const std::set<std::string> unknown_anomaly_types = {"empty-transaction-graph", "cycle-search-timeout"};

}  // namespace

OrderEdges order_edges_needed(const std::set<std::string>& prohibited) {
  auto any_ending = [&](std::string_view suffix) {
    return std::any_of(prohibited.begin(), prohibited.end(), [&](const std::string& type) { return type.ends_with(suffix); });
  };
  return any_ending("-realtime") ? OrderEdges::realtime : any_ending("-process") ? OrderEdges::process : OrderEdges::none;
}

namespace {

Inference infer(TransactionModel model, const TransactionHistory& history) {
  switch (model) {
    case TransactionModel::list_append: return infer_list_append(history);
    case TransactionModel::rw_register: return infer_rw_register(history);
  }
  return {};
}

TransactionCheckResult check_unguarded(const History& ops, TransactionModel model, const TransactionCheckOptions& options) {
  TransactionCheckResult result;
  for (const std::string& model : options.consistency_models) {
    if (canonical_model_name(model)) continue;
    result.verdict = Verdict::unknown;
    result.error = TransactionInputError{"unknown-consistency-model", "unknown consistency model '" + model + "'"};
    return result;
  }
  auto history = read_transactions(ops, model);
  if (!history) {
    result.verdict = Verdict::unknown;
    result.error = history.error();
    return result;
  }
  result.transactions = history->txns.size();
  const std::set<std::string> prohibited = anomalies_prohibited_by(options.consistency_models);
  Inference inference = infer(model, *history);
  std::map<std::string, std::vector<nlohmann::json>>& found = inference.anomalies;
  std::vector<Edge>& edges = inference.edges;
  const OrderEdges order_edges = order_edges_needed(prohibited);
  if (order_edges != OrderEdges::none) {
    std::vector<Edge> order = order_edges == OrderEdges::realtime ? realtime_edges(*history, ops) : process_edges(*history);
    edges.insert(edges.end(), order.begin(), order.end());
  }
  const DependencyGraph graph(history->txns.size(), std::move(edges));
  result.edges = graph.edge_count();
  if (graph.edge_count() == 0) found["empty-transaction-graph"].push_back(true);

  const CycleSearchResult search = find_cycles(graph, order_edges, options.cycle_search_steps_max);
  for (const CycleSearchTimeout& timeout : search.timeouts)
    found["cycle-search-timeout"].push_back({{"anomaly-spec-type", timeout.shape}, {"scc-size", timeout.component_size}});

  std::set<std::string> types;
  for (const auto& [type, cases] : found) types.insert(type);
  for (const Cycle& cycle : search.cycles) types.insert(cycle.type);
  result.all_anomaly_types = types;
  for (const std::string& type : types) {
    if (!prohibited.contains(type) && !unknown_anomaly_types.contains(type)) continue;
    result.anomaly_types.push_back(type);
    if (auto cases = found.find(type); cases != found.end()) result.anomalies[type] = cases->second;
  }
  for (const Cycle& cycle : search.cycles) {
    // Soundness: every reported edge is re-derived from the transactions.
    for (const std::string& problem : verify_cycle(*history, cycle)) result.unverified.push_back(cycle.type + ": " + problem);
    if (!prohibited.contains(cycle.type)) continue;
    ExplainedCycle explained{cycle, {}, explain_cycle(*history, cycle)};
    for (const Edge& step : cycle.steps) explained.ops.push_back(history->txns[step.from].index);
    result.cycles.push_back(std::move(explained));
  }

  const bool bad = std::any_of(result.anomaly_types.begin(), result.anomaly_types.end(),
                               [&](const std::string& type) { return prohibited.contains(type); });
  result.verdict = bad ? Verdict::invalid : result.anomaly_types.empty() ? Verdict::valid : Verdict::unknown;
  if (!result.unverified.empty()) result.verdict = merge(result.verdict, Verdict::unknown);
  if (!result.anomaly_types.empty()) {
    Boundary boundary = models_ruled_out(types);
    result.not_models = std::move(boundary.not_models);
    result.also_not = std::move(boundary.also_not);
  }
  return result;
}

}  // namespace

// An exception inside the checker (out of memory, a bug) is an unknown verdict with the
// error attached, never a crash of the run (STYLE principle 6).
TransactionCheckResult check_transactions(const History& ops, TransactionModel model, const TransactionCheckOptions& options) {
  try {
    return check_unguarded(ops, model, options);
  } catch (const std::exception& error) {
    TransactionCheckResult result;
    result.verdict = Verdict::unknown;
    result.error = TransactionInputError{"exception", error.what()};
    return result;
  }
}

nlohmann::json TransactionCheckResult::to_json() const {
  nlohmann::json out = {{"valid", verdict_to_json(verdict)}, {"transactions", transactions}, {"edges", edges}};
  if (error) {
    out["error"] = {{"type", error->type}, {"message", error->message}};
    return out;
  }
  out["anomaly-types"] = anomaly_types;
  nlohmann::json all = anomalies;
  for (const ExplainedCycle& explained : cycles) {
    nlohmann::json steps = nlohmann::json::array();
    for (std::size_t i = 0; i < explained.cycle.steps.size(); ++i) {
      const Edge& step = explained.cycle.steps[i];
      steps.push_back({{"type", to_string(step.relation)},
                       {"from", explained.ops[i]},
                       {"to", explained.ops[(i + 1) % explained.ops.size()]},
                       {"explanation", explained.explanations[i]}});
    }
    all[explained.cycle.type].push_back({{"cycle", explained.ops}, {"steps", steps}});
  }
  out["anomalies"] = all;
  out["not"] = not_models;
  out["also-not"] = also_not;
  if (!unverified.empty()) out["unverified"] = unverified;
  return out;
}

}  // namespace faultline::transactions
