// The overwrite check against literal histories, and against the search on random ones:
// it may miss anomalies, but everything it refutes the search must refute too.
#include <random>
#include <sstream>

#include <catch2/catch.hpp>

#include "history/history_format.h"
#include "linearizability/key_problem.h"
#include "linearizability/overwrite_check.h"
#include "linearizability/search.h"

using namespace faultline;

namespace {

const Model& cas_register_model = *find_model("cas-register");

PreparedProblems prepare(const std::string& text, const Model& model = cas_register_model, nlohmann::json initial = nullptr) {
  std::istringstream in(text);
  auto history = read_history(in, "literal", HistoryFormat::jsonl);
  REQUIRE(history.has_value());
  auto prepared = prepare_problems(*history, model, ModelConventions{}, initial);
  REQUIRE(prepared.has_value());
  return std::move(*prepared);
}

std::string op_line(int process, const char* type, const char* f, const std::string& value) {
  return std::string(R"({"process":)") + std::to_string(process) + R"(,"type":")" + type + R"(","f":")" + f +
         R"(","value":)" + value + "}\n";
}

}  // namespace

TEST_CASE("a read of a value overwritten before it began is refuted") {
  PreparedProblems p = prepare(op_line(0, "invoke", "write", "1") + op_line(0, "ok", "write", "1") +
                               op_line(0, "invoke", "write", "2") + op_line(0, "ok", "write", "2") +
                               op_line(1, "invoke", "read", "null") + op_line(1, "ok", "read", "1"));
  auto refutation = find_overwritten_state(p.keys[0], cas_register_model, p.initial_state);
  REQUIRE(refutation.has_value());
  CHECK(refutation->op == 2);
  CHECK(refutation->setter == 0);
  CHECK(refutation->overwriter == 1);
}

TEST_CASE("an overwrite concurrent with the read, or an indeterminate setter, is no refutation") {
  const std::string concurrent = op_line(0, "invoke", "write", "1") + op_line(0, "ok", "write", "1") +
                                 op_line(0, "invoke", "write", "2") + op_line(1, "invoke", "read", "null") +
                                 op_line(0, "ok", "write", "2") + op_line(1, "ok", "read", "1");
  PreparedProblems p = prepare(concurrent);
  CHECK_FALSE(find_overwritten_state(p.keys[0], cas_register_model, p.initial_state).has_value());
  const std::string indeterminate = op_line(0, "invoke", "write", "1") + op_line(0, "info", "write", "1") +
                                    op_line(1, "invoke", "write", "2") + op_line(1, "ok", "write", "2") +
                                    op_line(2, "invoke", "read", "null") + op_line(2, "ok", "read", "1");
  PreparedProblems q = prepare(indeterminate);
  CHECK_FALSE(find_overwritten_state(q.keys[0], cas_register_model, q.initial_state).has_value());
}

TEST_CASE("the initial state counts as set before everything") {
  PreparedProblems p = prepare(op_line(0, "invoke", "read", "null") + op_line(0, "ok", "read", "0"), cas_register_model, 0);
  CHECK_FALSE(find_overwritten_state(p.keys[0], cas_register_model, p.initial_state).has_value());
  PreparedProblems q = prepare(op_line(0, "invoke", "write", "3") + op_line(0, "ok", "write", "3") +
                                   op_line(1, "invoke", "read", "null") + op_line(1, "ok", "read", "0"),
                               cas_register_model, 0);
  auto refutation = find_overwritten_state(q.keys[0], cas_register_model, q.initial_state);
  REQUIRE(refutation.has_value());
  CHECK(refutation->setter == -1);
  CHECK(refutation->overwriter == 0);
}

TEST_CASE("whatever the overwrite check refutes, the search refutes") {
  std::mt19937_64 random(7);
  int refuted = 0;
  for (int round = 0; round < 3000; ++round) {
    // Random sequential-ish histories of 3 processes on one register, values 0..2.
    std::string text;
    std::vector<int> open(3, 0);  // 0: idle, 1: open read, 2: open write, 3: open cas
    std::vector<std::string> pending_value(3);
    int next_process[3] = {0, 1, 2};
    for (int step = 0; step < 14; ++step) {
      const int slot = static_cast<int>(random() % 3);
      const int process = next_process[slot];
      if (open[slot] == 0) {
        const int kind = 1 + static_cast<int>(random() % 3);
        const std::string v = std::to_string(random() % 3), w = std::to_string(random() % 3);
        open[slot] = kind;
        pending_value[slot] = kind == 1 ? "null" : kind == 2 ? v : "[" + v + "," + w + "]";
        text += op_line(process, "invoke", kind == 1 ? "read" : kind == 2 ? "write" : "cas", pending_value[slot]);
      } else {
        const char* f = open[slot] == 1 ? "read" : open[slot] == 2 ? "write" : "cas";
        const int outcome = static_cast<int>(random() % 6);  // mostly ok
        const char* type = outcome == 0 ? "info" : outcome == 1 ? "fail" : "ok";
        const std::string value = open[slot] == 1 ? std::to_string(random() % 3) : pending_value[slot];
        text += op_line(process, type, f, value);
        if (outcome == 0) next_process[slot] += 3;
        open[slot] = 0;
      }
    }
    PreparedProblems p = prepare(text, cas_register_model, 0);
    if (p.keys.empty()) continue;
    if (!find_overwritten_state(p.keys[0], cas_register_model, p.initial_state)) continue;
    ++refuted;
    StateTable states = p.initial_states;
    KeyOutcome searched = search_key(p.keys[0], cas_register_model, p.values, states, p.initial_state,
                                     [](std::size_t, std::string&) { return false; });
    INFO(text);
    CHECK(searched.verdict == Verdict::invalid);
  }
  CHECK(refuted > 300);
}
