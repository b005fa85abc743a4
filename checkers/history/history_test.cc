// HistoryBuilder's checks, with the exact messages a user sees.
#include <catch2/catch.hpp>

#include "history.h"

namespace faultline {
namespace {

Op make_op(std::int64_t process, OpType type, std::string f, nlohmann::json value = nullptr) {
  Op op;
  op.process = process;
  op.type = type;
  op.f = std::move(f);
  op.value = std::move(value);
  return op;
}

// The error text of building `ops`, or "" when they form a valid history.
std::string build_error(std::vector<Op> ops) {
  auto history = History::build(std::move(ops), "h.jsonl");
  return history ? std::string() : history.error().to_string();
}

TEST_CASE("a valid history pairs invocations with completions") {
  auto history = History::build({
      make_op(0, OpType::invoke, "write", 1),
      make_op(1, OpType::invoke, "read"),
      make_op(0, OpType::ok, "write", 1),
      make_op(1, OpType::info, "read"),
      make_op(2, OpType::invoke, "cas", {1, 2}),
  }, "h.jsonl");
  REQUIRE(history);
  REQUIRE(history->size() == 5);
  CHECK(history->partner(0) == 2);
  CHECK(history->partner(2) == 0);
  CHECK(history->partner(1) == 3);
  CHECK(history->partner(3) == 1);
  CHECK(history->partner(4) == -1);  // never completed
  CHECK(history->line(4) == 5);
  CHECK((*history)[3].index == 3);
  CHECK(history->source() == "h.jsonl");
}

TEST_CASE("an index given by the source is kept, a missing one is the position") {
  HistoryBuilder builder("h");
  Op first = make_op(0, OpType::invoke, "read");
  first.index = 40;
  REQUIRE(builder.add(first, 7));
  REQUIRE(builder.add(make_op(0, OpType::ok, "read"), 9));
  History history = std::move(builder).finish();
  CHECK(history[0].index == 40);
  CHECK(history[1].index == 1);
  CHECK(history.line(0) == 7);
  CHECK(history.line(1) == 9);
}

TEST_CASE("a completion without an invocation is an error") {
  CHECK(build_error({make_op(3, OpType::ok, "read")}) ==
        "h.jsonl:1: field 'process': process 3 completes (ok) an operation it never invoked");
  CHECK(build_error({make_op(0, OpType::invoke, "read"), make_op(0, OpType::ok, "read"), make_op(0, OpType::fail, "read")}) ==
        "h.jsonl:3: field 'process': process 0 completes (fail) an operation it never invoked");
}

TEST_CASE("invoking twice without completing is an error") {
  CHECK(build_error({make_op(0, OpType::invoke, "read"), make_op(1, OpType::invoke, "read"), make_op(0, OpType::invoke, "write")}) ==
        "h.jsonl:3: field 'process': process 0 invokes twice without completing (its open invocation is at line 1)");
}

TEST_CASE("invoking after an info is an error, after a fail it is not") {
  CHECK(build_error({make_op(2, OpType::invoke, "write", 1), make_op(2, OpType::info, "write", 1), make_op(2, OpType::invoke, "read")}) ==
        "h.jsonl:3: field 'process': process 2 invokes again after its operation ended in info at line 2 "
        "(a process whose outcome is unknown never invokes again)");
  CHECK(build_error({make_op(2, OpType::invoke, "write", 1), make_op(2, OpType::fail, "write", 1), make_op(2, OpType::invoke, "read")}) == "");
}

TEST_CASE("a completion whose f differs from its invocation's is an error") {
  CHECK(build_error({make_op(0, OpType::invoke, "read"), make_op(0, OpType::ok, "write")}) ==
        "h.jsonl:2: field 'f': completion f 'write' does not match the invocation's f 'read' at line 1");
}

TEST_CASE("a completion whose key differs from its invocation's is an error") {
  Op invoke = make_op(0, OpType::invoke, "read");
  invoke.key = "k1";
  Op complete = make_op(0, OpType::ok, "read");
  complete.key = "k2";
  CHECK(build_error({invoke, complete}) == "h.jsonl:2: field 'key': completion key does not match the invocation's key at line 1");
}

TEST_CASE("nemesis ops are recorded but not paired") {
  auto history = History::build({
      make_op(nemesis_process, OpType::info, "start", "partition"),
      make_op(nemesis_process, OpType::info, "start"),
      make_op(nemesis_process, OpType::invoke, "stop"),
      make_op(nemesis_process, OpType::invoke, "stop"),
      make_op(nemesis_process, OpType::ok, "kill"),
  });
  REQUIRE(history);
  for (std::size_t i = 0; i < history->size(); ++i) CHECK(history->partner(i) == -1);
}

TEST_CASE("an error without a source says <input>") {
  auto history = History::build({make_op(0, OpType::ok, "read")});
  REQUIRE_FALSE(history);
  CHECK(history.error().to_string() == "<input>:1: field 'process': process 0 completes (ok) an operation it never invoked");
}

}  // namespace
}  // namespace faultline
