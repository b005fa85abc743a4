#include "transactions/consistency_models.h"

#include <map>
#include <utility>

namespace faultline::transactions {
namespace {

using Dag = std::multimap<std::string, std::string>;  // a -> b, one pair per edge

// a -> b: a history with anomaly a also has anomaly b.
const Dag& implied_anomalies() {
  static const Dag dag = [] {
    Dag d;
    auto add = [&](const char* a, std::initializer_list<const char*> bs) {
      for (const char* b : bs) d.emplace(a, b);
    };
    add("G0", {"G1c", "G0-process"});
    add("G0-process", {"G1c-process", "G0-realtime"});
    add("G0-realtime", {"G1c-realtime"});
    add("G1a", {"G1"});
    add("G1b", {"G1"});
    add("G1c", {"G1", "G1c-process"});
    add("G1c-process", {"G1c-realtime", "G1-process"});
    add("G1c-realtime", {"G1-realtime"});
    add("G1", {"G1-process"});
    add("G1-process", {"G1-realtime"});
    add("G-single-item", {"G-single", "G-single-item-process", "G-nonadjacent-item"});
    add("G-single-item-process", {"G-single-process", "G-single-item-realtime", "G-nonadjacent-item-process"});
    add("G-single-item-realtime", {"G-single-realtime", "G-nonadjacent-item-realtime"});
    add("G-single", {"G-nonadjacent", "GSIb", "G-single-process"});
    add("G-single-process", {"G-nonadjacent-process", "G-single-realtime"});
    add("G-single-realtime", {"G-nonadjacent-realtime"});
    add("G-nonadjacent-item", {"G-nonadjacent", "G2-item", "G-nonadjacent-item-process"});
    add("G-nonadjacent-item-process", {"G-nonadjacent-process", "G2-item-process", "G-nonadjacent-item-realtime"});
    add("G-nonadjacent-item-realtime", {"G2-item-realtime", "G-nonadjacent-realtime"});
    add("G-nonadjacent", {"G2", "G-nonadjacent-process"});
    add("G-nonadjacent-process", {"G2-process", "G-nonadjacent-realtime"});
    add("G-nonadjacent-realtime", {"G2-realtime"});
    add("G2", {"G2-process"});
    add("G2-item", {"G2", "G2-item-process"});
    add("G2-item-process", {"G2-process", "G2-item-realtime"});
    add("G2-item-realtime", {"G2-realtime"});
    add("G2-process", {"G2-realtime"});
    add("GSIa", {"GSI"});
    add("GSIb", {"GSI"});
    add("incompatible-order", {"G1a"});
    add("future-read", {"G1c"});
    add("dirty-update", {"G1a"});
    add("lost-update", {"write-skew", "G2-item"});
    add("write-skew", {"G2"});
    // Not in Elle: a read of an element no transaction appended. Like a dirty update, it
    // shows state that no committed write produced.
    add("garbage-read", {"G1a"});
    return d;
  }();
  return dag;
}

// a -> b: a history that satisfies model a satisfies model b.
const Dag& model_implications() {
  static const Dag dag = [] {
    Dag d;
    auto add = [&](const char* a, std::initializer_list<const char*> bs) {
      for (const char* b : bs) d.emplace(a, b);
    };
    add("causal-cerone", {"read-atomic"});
    add("consistent-view", {"cursor-stability", "monotonic-view"});
    add("serializable", {"view-serializable", "repeatable-read", "update-serializable", "snapshot-isolation"});
    add("cursor-stability", {"read-committed"});
    add("forward-consistent-view", {"consistent-view"});
    add("read-committed", {"read-uncommitted"});
    add("update-serializable", {"forward-consistent-view"});
    add("monotonic-atomic-view", {"read-committed"});
    add("monotonic-view", {"read-committed"});
    add("monotonic-snapshot-read", {"read-committed"});
    add("parallel-snapshot-isolation", {"causal-cerone", "update-atomic"});
    add("prefix", {"causal-cerone"});
    add("read-atomic", {"monotonic-atomic-view"});
    add("repeatable-read", {"cursor-stability", "monotonic-atomic-view"});
    add("update-atomic", {"read-atomic"});
    add("session-serializable", {"1SR"});
    add("snapshot-isolation", {"forward-consistent-view", "monotonic-atomic-view", "monotonic-snapshot-read",
                               "parallel-snapshot-isolation", "prefix"});
    add("strict-serializable", {"serializable", "linearizable", "snapshot-isolation", "strong-snapshot-isolation",
                                "strong-session-serializable", "session-serializable"});
    add("strong-session-read-uncommitted", {"read-uncommitted"});
    add("strong-session-read-committed", {"read-committed", "strong-session-read-uncommitted"});
    add("strong-read-uncommitted", {"strong-session-read-uncommitted"});
    add("strong-read-committed", {"strong-session-read-committed", "strong-read-uncommitted"});
    add("strong-session-serializable", {"serializable", "strong-session-snapshot-isolation"});
    add("strong-session-snapshot-isolation", {"snapshot-isolation", "strong-session-read-committed"});
    add("strong-snapshot-isolation", {"strong-session-snapshot-isolation", "strong-read-committed"});
    add("linearizable", {"sequential"});
    add("sequential", {"causal"});
    add("causal", {"writes-follow-reads", "PRAM"});
    add("PRAM", {"monotonic-reads", "monotonic-writes", "read-your-writes"});
    return d;
  }();
  return dag;
}

// model -> the anomalies it forbids on top of those of the models it implies.
const Dag& direct_prohibitions() {
  static const Dag dag = [] {
    Dag d;
    auto add = [&](const char* a, std::initializer_list<const char*> bs) {
      for (const char* b : bs) d.emplace(a, b);
    };
    add("causal-cerone", {"internal", "G1a"});
    add("cursor-stability", {"G1", "G-cursor", "lost-update"});
    add("monotonic-view", {"G1", "G-monotonic"});
    add("monotonic-snapshot-read", {"G1", "G-MSR"});
    add("consistent-view", {"G1", "G-single"});
    add("forward-consistent-view", {"G1", "G-SIb"});
    add("parallel-snapshot-isolation", {"internal", "G1a"});
    add("serializable", {"G1", "G2", "predicate-read-miss", "PL-3-cycle-exists", "internal"});
    add("read-committed", {"G1", "PL-2-cycle-exists"});
    add("read-uncommitted", {"G0", "duplicate-elements", "cyclic-versions", "PL-1-cycle-exists"});
    add("prefix", {"internal", "G1a"});
    add("snapshot-isolation", {"internal", "G1", "G-SI", "G-nonadjacent", "PL-SI-cycle-exists"});
    add("read-atomic", {"internal", "G1a", "future-read"});
    add("repeatable-read", {"G1", "G2-item", "PL-2.99-cycle-exists", "lost-update"});
    add("update-atomic", {"lost-update"});
    add("strict-serializable", {"G1", "G1c-realtime", "G2-realtime", "PL-SS-cycle-exists"});
    add("strong-session-read-uncommitted", {"strong-session-PL-1-cycle-exists", "G0-process"});
    add("strong-session-read-committed", {"strong-session-PL-2-cycle-exists", "G1c-process"});
    add("strong-read-uncommitted", {"strong-PL-1-cycle-exists", "G0-realtime"});
    add("strong-read-committed", {"strong-PL-2-cycle-exists", "G1c-realtime"});
    add("strong-session-snapshot-isolation",
        {"internal", "G1-process", "G-nonadjacent-process", "strong-session-snapshot-isolation-cycle-exists"});
    add("strong-snapshot-isolation", {"internal", "G1-realtime", "G-nonadjacent-realtime", "strong-snapshot-isolation-cycle-exists"});
    add("strong-session-serializable", {"G1-process", "G2-process", "strong-session-serializable-cycle-exists"});
    add("update-serializable", {"G1", "G-update"});
    return d;
  }();
  return dag;
}

const std::map<std::string, std::string, std::less<>>& aliases() {
  static const std::map<std::string, std::string, std::less<>> names = {
      {"PL-2+", "consistent-view"},       {"conflict-serializable", "serializable"},
      {"PL-CS", "cursor-stability"},      {"PL-FCV", "forward-consistent-view"},
      {"PL-MSR", "monotonic-snapshot-read"}, {"PL-2L", "monotonic-view"},
      {"PL-2", "read-committed"},         {"PL-1", "read-uncommitted"},
      {"PL-2.99", "repeatable-read"},     {"PL-3", "serializable"},
      {"PL-SI", "snapshot-isolation"},    {"PL-SS", "strict-serializable"},
      {"strong-serializable", "strict-serializable"}, {"PL-3U", "update-serializable"},
      {"strong-session-PL-1", "strong-session-read-uncommitted"},
      {"strong-session-PL-2", "strong-session-read-committed"},
      {"strong-PL-1", "strong-read-uncommitted"}, {"strong-PL-2", "strong-read-committed"},
  };
  return names;
}

// Everything reachable from `start` along `dag`, forwards (a -> b) or backwards.
std::set<std::string> reachable(const Dag& dag, const std::set<std::string>& start, bool forwards) {
  std::set<std::string> seen = start;
  std::vector<std::string> work(start.begin(), start.end());
  while (!work.empty()) {
    const std::string at = std::move(work.back());
    work.pop_back();
    if (forwards) {
      auto [begin, end] = dag.equal_range(at);
      for (auto it = begin; it != end; ++it)
        if (seen.insert(it->second).second) work.push_back(it->second);
    } else {
      for (const auto& [a, b] : dag)
        if (b == at && seen.insert(a).second) work.push_back(a);
    }
  }
  return seen;
}

}  // namespace

std::vector<std::string> known_models() {
  std::set<std::string> names;
  for (const auto& [a, b] : model_implications()) {
    names.insert(a);
    names.insert(b);
  }
  for (const auto& [a, b] : direct_prohibitions()) names.insert(a);
  return {names.begin(), names.end()};
}

std::optional<std::string> canonical_model_name(std::string_view name) {
  if (auto alias = aliases().find(name); alias != aliases().end()) return alias->second;
  for (const std::string& known : known_models())
    if (known == name) return known;
  return std::nullopt;
}

std::set<std::string> all_implied_anomalies(const std::set<std::string>& anomalies) {
  return reachable(implied_anomalies(), anomalies, true);
}

std::set<std::string> anomalies_prohibited_by(const std::vector<std::string>& models) {
  std::set<std::string> start;
  for (const std::string& model : models) start.insert(canonical_model_name(model).value_or(model));
  std::set<std::string> direct;
  for (const std::string& model : reachable(model_implications(), start, true)) {
    auto [begin, end] = direct_prohibitions().equal_range(model);
    for (auto it = begin; it != end; ++it) direct.insert(it->second);
  }
  return reachable(implied_anomalies(), direct, false);
}

Boundary models_ruled_out(const std::set<std::string>& anomalies) {
  const std::set<std::string> implied = all_implied_anomalies(anomalies);
  std::set<std::string> direct;
  for (const auto& [model, anomaly] : direct_prohibitions())
    if (implied.contains(anomaly)) direct.insert(model);
  const std::set<std::string> impossible = reachable(model_implications(), direct, false);
  Boundary boundary;
  for (const std::string& model : impossible) {
    // The weakest: no other ruled-out model is implied by this one.
    std::set<std::string> below = reachable(model_implications(), {model}, true);
    below.erase(model);
    bool weakest = true;
    for (const std::string& other : below)
      if (impossible.contains(other)) weakest = false;
    (weakest ? boundary.not_models : boundary.also_not).insert(model);
  }
  return boundary;
}

}  // namespace faultline::transactions
