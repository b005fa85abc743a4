// The transactional checker's pipeline, shared by Elle's workloads (list-append, rw-register):
// read the transactions, let the model infer its anomalies that need no cycle and its ww, wr
// and rw edges, add real-time or process edges when the claimed models need them, search the
// dependency graph for cycles of each forbidden shape, verify and explain each cycle, and say
// which consistency models the history rules out. A model adds one inference function
// (`infer_list_append`, `infer_rw_register`) and its edges' meaning to explain.cc and
// verify_cycle.cc; everything else is here, once.
//
// Verdict (as Elle's :valid?): invalid when an anomaly the claimed models forbid was found;
// otherwise unknown when the search ran out (cycle-search-timeout), the graph had no edge at
// all (empty-transaction-graph: nothing could be checked), or the input was not a history of
// the model or a claimed model is unknown, or the checker threw (error); otherwise valid.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "history/history.h"
#include "transactions/cycle_search.h"
#include "transactions/transactions.h"
#include "verdict.h"

namespace faultline::transactions {

struct TransactionCheckOptions {
  // The models the system claims (Elle's :consistency-models); names as in consistency_models.h.
  std::vector<std::string> consistency_models = {"strict-serializable"};
  std::uint64_t cycle_search_steps_max = transactions::cycle_search_steps_max;
};

struct ExplainedCycle {
  Cycle cycle;
  std::vector<std::int64_t> ops;          // op index of each step's `from` transaction (T1, T2, ...)
  std::vector<std::string> explanations;  // one sentence per step
};

struct TransactionCheckResult {
  Verdict verdict = Verdict::valid;
  std::vector<std::string> anomaly_types;  // reportable types found, sorted (Elle's :anomaly-types)
  std::vector<ExplainedCycle> cycles;      // of reportable types
  std::map<std::string, std::vector<nlohmann::json>> anomalies;  // the other reportable cases, by type
  std::set<std::string> not_models;        // the weakest models ruled out (Elle's :not)
  std::set<std::string> also_not;          // the other models ruled out (Elle's :also-not)
  std::set<std::string> all_anomaly_types; // every type found, reportable or not
  std::optional<TransactionInputError> error;
  std::vector<std::string> unverified;     // cycle steps the independent check refuted: always empty unless a bug
  std::size_t transactions = 0;
  std::size_t edges = 0;

  nlohmann::json to_json() const;
};

// What a model infers from its transactions alone.
struct Inference {
  std::map<std::string, std::vector<nlohmann::json>> anomalies;  // anomaly type -> its cases
  std::vector<Edge> edges;                                       // ww, wr and rw
};

TransactionCheckResult check_transactions(const History& history, TransactionModel model,
                                          const TransactionCheckOptions& options = {});

// Which order edges the forbidden anomaly types need (Elle's additional-graphs): realtime when
// any -realtime type is forbidden; else process when any -process type is; else none.
OrderEdges order_edges_needed(const std::set<std::string>& prohibited);

}  // namespace faultline::transactions
