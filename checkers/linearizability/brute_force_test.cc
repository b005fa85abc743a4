// The reference checker against literal histories whose verdicts can be worked out by hand.
// Each history is read top to bottom: a line is an op in the order it happened.
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "linearizability/brute_force.h"

namespace faultline {
namespace {

const Model& register_model = *find_model("register");
const Model& cas_register_model = *find_model("cas-register");
const Model& mutex_model = *find_model("mutex");

using nlohmann::json;

Op make_op(std::int64_t process, OpType type, std::string f, json value) {
  Op op;
  op.process = process;
  op.type = type;
  op.f = std::move(f);
  op.value = std::move(value);
  return op;
}
Op invoke(std::int64_t process, std::string f, json value = nullptr) {
  return make_op(process, OpType::invoke, std::move(f), std::move(value));
}
Op ok(std::int64_t process, std::string f, json value = nullptr) {
  return make_op(process, OpType::ok, std::move(f), std::move(value));
}
Op fail(std::int64_t process, std::string f, json value = nullptr) {
  return make_op(process, OpType::fail, std::move(f), std::move(value));
}
Op info(std::int64_t process, std::string f, json value = nullptr) {
  return make_op(process, OpType::info, std::move(f), std::move(value));
}

Verdict check(const Model& model, std::vector<Op> ops, json initial = nullptr) {
  auto history = History::build(std::move(ops), "literal");
  REQUIRE(history.has_value());
  return check_linearizability_brute_force(*history, model, initial);
}

}  // namespace

TEST_CASE("brute force: register, histories without uncertainty", "[brute_force]") {
  const Model& m = register_model;
  SECTION("the empty history is valid") { CHECK(check(m, {}) == Verdict::valid); }
  SECTION("a read of the initial value") {
    CHECK(check(m, {invoke(0, "read"), ok(0, "read", nullptr)}) == Verdict::valid);
    CHECK(check(m, {invoke(0, "read"), ok(0, "read", 0)}, 0) == Verdict::valid);
    CHECK(check(m, {invoke(0, "read"), ok(0, "read", 0)}) == Verdict::invalid);
  }
  SECTION("a read returns the last value written") {
    CHECK(check(m, {invoke(0, "write", 1), ok(0, "write", 1), invoke(1, "read"), ok(1, "read", 1)}) == Verdict::valid);
  }
  SECTION("a read of a value never written is invalid") {
    CHECK(check(m, {invoke(0, "write", 1), ok(0, "write", 1), invoke(1, "read"), ok(1, "read", 2)}) ==
          Verdict::invalid);
  }
  SECTION("a stale read: the value was overwritten before the read began") {
    CHECK(check(m, {invoke(0, "write", 1), ok(0, "write", 1), invoke(0, "write", 2), ok(0, "write", 2),
                    invoke(1, "read"), ok(1, "read", 1)}) == Verdict::invalid);
    CHECK(check(m, {invoke(0, "write", 1), ok(0, "write", 1), invoke(1, "read"), ok(1, "read", nullptr)}) ==
          Verdict::invalid);
  }
  SECTION("a read concurrent with a write may see either value") {
    for (json seen : {json(nullptr), json(1)}) {
      CHECK(check(m, {invoke(0, "write", 1), invoke(1, "read"), ok(1, "read", seen), ok(0, "write", 1)}) ==
            Verdict::valid);
      CHECK(check(m, {invoke(1, "read"), invoke(0, "write", 1), ok(0, "write", 1), ok(1, "read", seen)}) ==
            Verdict::valid);
    }
  }
  SECTION("a read concurrent with the overwriting write may still see the old value") {
    CHECK(check(m, {invoke(0, "write", 1), ok(0, "write", 1), invoke(0, "write", 2), invoke(1, "read"),
                    ok(1, "read", 1), ok(0, "write", 2)}) == Verdict::valid);
  }
  SECTION("two reads cannot see concurrent writes in opposite orders") {
    // Both writes overlap both reads, but the reads are sequential: 1 then 2 then 1 again
    // would need the register to go back to 1.
    CHECK(check(m, {invoke(0, "write", 1), invoke(1, "write", 2), invoke(2, "read"), ok(2, "read", 1),
                    invoke(2, "read"), ok(2, "read", 2), invoke(2, "read"), ok(2, "read", 1), ok(0, "write", 1),
                    ok(1, "write", 2)}) == Verdict::invalid);
    CHECK(check(m, {invoke(0, "write", 1), invoke(1, "write", 2), invoke(2, "read"), ok(2, "read", 1),
                    invoke(2, "read"), ok(2, "read", 2), ok(0, "write", 1), ok(1, "write", 2)}) == Verdict::valid);
  }
  SECTION("keys are ignored: the whole history is one register") {
    std::vector<Op> ops = {invoke(0, "write", 1), ok(0, "write", 1), invoke(1, "read"), ok(1, "read", 1)};
    ops[0].key = ops[1].key = "a";
    ops[2].key = ops[3].key = "b";
    CHECK(check(m, ops) == Verdict::valid);
  }
  SECTION("nemesis ops are ignored") {
    Op kill = info(nemesis_process, "kill", "n1");
    CHECK(check(m, {kill, invoke(0, "write", 1), ok(0, "write", 1), kill, invoke(1, "read"), ok(1, "read", 1)}) ==
          Verdict::valid);
  }
}

TEST_CASE("brute force: register, indeterminate and failed ops", "[brute_force]") {
  const Model& m = register_model;
  SECTION("an info write that must have happened") {
    CHECK(check(m, {invoke(0, "write", 1), info(0, "write", 1), invoke(1, "read"), ok(1, "read", 1)}) ==
          Verdict::valid);
  }
  SECTION("an info write that must not have happened") {
    CHECK(check(m, {invoke(0, "write", 1), info(0, "write", 1), invoke(1, "read"), ok(1, "read", nullptr)}) ==
          Verdict::valid);
  }
  SECTION("an info write may take effect after its info completion") {
    CHECK(check(m, {invoke(0, "write", 1), info(0, "write", 1), invoke(1, "read"), ok(1, "read", nullptr),
                    invoke(1, "read"), ok(1, "read", 1)}) == Verdict::valid);
  }
  SECTION("an info write that happened cannot be undone") {
    CHECK(check(m, {invoke(0, "write", 1), info(0, "write", 1), invoke(1, "read"), ok(1, "read", 1),
                    invoke(1, "read"), ok(1, "read", nullptr)}) == Verdict::invalid);
  }
  SECTION("an info write cannot take effect before its invocation") {
    CHECK(check(m, {invoke(1, "read"), ok(1, "read", 1), invoke(0, "write", 1), info(0, "write", 1)}) ==
          Verdict::invalid);
  }
  SECTION("an info write happens at most once") {
    CHECK(check(m, {invoke(0, "write", 1), info(0, "write", 1), invoke(1, "read"), ok(1, "read", 1),
                    invoke(1, "write", 2), ok(1, "write", 2), invoke(1, "read"), ok(1, "read", 1)}) ==
          Verdict::invalid);
  }
  SECTION("a write never completed is like an info write") {
    CHECK(check(m, {invoke(0, "write", 1), invoke(1, "read"), ok(1, "read", nullptr), invoke(1, "read"),
                    ok(1, "read", 1)}) == Verdict::valid);
    CHECK(check(m, {invoke(0, "write", 1), invoke(1, "read"), ok(1, "read", 1), invoke(1, "read"),
                    ok(1, "read", nullptr)}) == Verdict::invalid);
  }
  SECTION("a failed write did not happen") {
    CHECK(check(m, {invoke(0, "write", 1), fail(0, "write", 1), invoke(1, "read"), ok(1, "read", 1)}) ==
          Verdict::invalid);
    CHECK(check(m, {invoke(0, "write", 1), fail(0, "write", 1), invoke(1, "read"), ok(1, "read", nullptr)}) ==
          Verdict::valid);
  }
  SECTION("info and failed reads constrain nothing") {
    CHECK(check(m, {invoke(0, "read"), info(0, "read"), invoke(1, "read"), fail(1, "read"), invoke(2, "read"),
                    ok(2, "read", nullptr)}) == Verdict::valid);
  }
  SECTION("a function the model does not know is an error") {
    CHECK_THROWS_AS(check(m, {invoke(0, "cas", json::array({0, 1})), ok(0, "cas", json::array({0, 1}))}),
                    std::invalid_argument);
  }
}

TEST_CASE("brute force: cas-register", "[brute_force]") {
  const Model& m = cas_register_model;
  const json cas_0_1 = json::array({0, 1});
  SECTION("a cas succeeds only from its expected value") {
    CHECK(check(m, {invoke(0, "cas", cas_0_1), ok(0, "cas", cas_0_1), invoke(0, "read"), ok(0, "read", 1)}, 0) ==
          Verdict::valid);
    CHECK(check(m, {invoke(0, "cas", cas_0_1), ok(0, "cas", cas_0_1)}, 2) == Verdict::invalid);
  }
  SECTION("a failed cas is ignored") {
    CHECK(check(m, {invoke(0, "cas", cas_0_1), fail(0, "cas", cas_0_1), invoke(0, "read"), ok(0, "read", 0)}, 0) ==
          Verdict::valid);
    CHECK(check(m, {invoke(0, "cas", cas_0_1), fail(0, "cas", cas_0_1), invoke(0, "read"), ok(0, "read", 1)}, 0) ==
          Verdict::invalid);
  }
  SECTION("two concurrent cas from the same value cannot both succeed") {
    CHECK(check(m, {invoke(0, "cas", cas_0_1), invoke(1, "cas", cas_0_1), ok(0, "cas", cas_0_1),
                    ok(1, "cas", cas_0_1)}, 0) == Verdict::invalid);
  }
  SECTION("a write in between lets the second cas succeed") {
    CHECK(check(m, {invoke(0, "cas", cas_0_1), invoke(1, "cas", cas_0_1), invoke(2, "write", 0),
                    ok(0, "cas", cas_0_1), ok(1, "cas", cas_0_1), ok(2, "write", 0)}, 0) == Verdict::valid);
  }
  SECTION("an info cas that must have happened") {
    CHECK(check(m, {invoke(0, "cas", cas_0_1), info(0, "cas", cas_0_1), invoke(1, "read"), ok(1, "read", 0),
                    invoke(1, "read"), ok(1, "read", 1)}, 0) == Verdict::valid);
  }
  SECTION("an info cas whose expected value was gone cannot have happened") {
    CHECK(check(m, {invoke(1, "write", 2), ok(1, "write", 2), invoke(0, "cas", cas_0_1), info(0, "cas", cas_0_1),
                    invoke(1, "read"), ok(1, "read", 1)}, 0) == Verdict::invalid);
  }
}

TEST_CASE("brute force: mutex", "[brute_force]") {
  const Model& m = mutex_model;
  SECTION("acquire, release, acquire") {
    CHECK(check(m, {invoke(0, "acquire"), ok(0, "acquire"), invoke(0, "release"), ok(0, "release"),
                    invoke(1, "acquire"), ok(1, "acquire")}) == Verdict::valid);
  }
  SECTION("a double acquire is invalid") {
    CHECK(check(m, {invoke(0, "acquire"), ok(0, "acquire"), invoke(1, "acquire"), ok(1, "acquire")}) ==
          Verdict::invalid);
    CHECK(check(m, {invoke(0, "acquire"), invoke(1, "acquire"), ok(0, "acquire"), ok(1, "acquire")}) ==
          Verdict::invalid);
  }
  SECTION("a release of a free mutex is invalid") {
    CHECK(check(m, {invoke(0, "release"), ok(0, "release")}) == Verdict::invalid);
  }
  SECTION("a release concurrent with an acquire may come first") {
    CHECK(check(m, {invoke(0, "acquire"), ok(0, "acquire"), invoke(1, "acquire"), invoke(0, "release"),
                    ok(0, "release"), ok(1, "acquire")}) == Verdict::valid);
  }
  SECTION("an info release that must have happened") {
    CHECK(check(m, {invoke(0, "acquire"), ok(0, "acquire"), invoke(0, "release"), info(0, "release"),
                    invoke(1, "acquire"), ok(1, "acquire")}) == Verdict::valid);
  }
  SECTION("an info acquire that must not have happened") {
    CHECK(check(m, {invoke(0, "acquire"), info(0, "acquire"), invoke(1, "acquire"), ok(1, "acquire")}) ==
          Verdict::valid);
  }
  SECTION("a failed acquire did not happen") {
    CHECK(check(m, {invoke(0, "acquire"), ok(0, "acquire"), invoke(1, "acquire"), fail(1, "acquire"),
                    invoke(0, "release"), ok(0, "release")}) == Verdict::valid);
    CHECK(check(m, {invoke(0, "acquire"), fail(0, "acquire"), invoke(0, "release"), ok(0, "release")}) ==
          Verdict::invalid);
  }
}

}  // namespace faultline
