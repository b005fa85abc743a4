// The models' pure functions against literal values.
#include <catch2/catch.hpp>

#include "models/model.h"

using namespace faultline;

namespace {

const Model& register_model = *find_model("register");
const Model& cas_register_model = *find_model("cas-register");
const Model& mutex_model = *find_model("mutex");

Op op(const std::string& f, nlohmann::json value) {
  Op o;
  o.f = f;
  o.value = std::move(value);
  return o;
}

ModelInput prepared(const Model& model, const Op& invocation, const Op* completion, ValueTable& values) {
  auto input = model.prepare(invocation, completion, ModelConventions{}, values);
  REQUIRE(input.has_value());
  REQUIRE(input->has_value());
  return **input;
}

}  // namespace

TEST_CASE("models are found by name") {
  CHECK(find_model("register") == &register_model);
  CHECK(find_model("cas-register") == &cas_register_model);
  CHECK(find_model("mutex") == &mutex_model);
  CHECK(find_model("queue") == nullptr);
}

TEST_CASE("the cas-register reads, writes and compares") {
  ValueTable values;
  StateTable states;
  const Model& m = cas_register_model;
  const ModelState zero = *m.init(values.intern(0), values, states);
  Op read_invoke = op("read", nullptr), read_ok = op("read", 0);
  const ModelInput read_zero = prepared(m, read_invoke, &read_ok, values);
  CHECK(m.step(zero, read_zero, values, states) == zero);
  const ModelInput write_three = prepared(m, op("write", 3), nullptr, values);
  const ModelState three = *m.step(zero, write_three, values, states);
  CHECK(three == values.intern(3));
  CHECK_FALSE(m.step(three, read_zero, values, states).has_value());
  const ModelInput cas_three_four = prepared(m, op("cas", {3, 4}), nullptr, values);
  CHECK(m.step(three, cas_three_four, values, states) == values.intern(4));
  CHECK_FALSE(m.step(zero, cas_three_four, values, states).has_value());
  CHECK(m.is_blind(write_three));
  CHECK_FALSE(m.is_blind(cas_three_four));
  CHECK(m.show_input(cas_three_four, values) == "cas 3->4");
  std::vector<ModelState> held_states = {values.intern(4), values.intern(nullptr), values.intern(10), values.intern(2)};
  CHECK(m.explain(read_zero, held_states, values, states) == "read returned 0, but the register can only hold 2, 4, 10 or nil here");
}

TEST_CASE("a read of unknown outcome can be left out, a malformed cas cannot") {
  ValueTable values;
  StateTable states;
  auto unknown_read = cas_register_model.prepare(op("read", nullptr), nullptr, ModelConventions{}, values);
  REQUIRE(unknown_read.has_value());
  CHECK_FALSE(unknown_read->has_value());
  auto bad_cas = cas_register_model.prepare(op("cas", 3), nullptr, ModelConventions{}, values);
  REQUIRE_FALSE(bad_cas.has_value());
  CHECK(bad_cas.error() == "cas expects the value [from, to], got 3");
  auto unknown_f = mutex_model.prepare(op("write", 1), nullptr, ModelConventions{}, values);
  REQUIRE_FALSE(unknown_f.has_value());
  CHECK(unknown_f.error() == "the mutex model has no function 'write' (it knows acquire, release)");
}

TEST_CASE("the mutex is acquired when free and released when held") {
  ValueTable values;
  StateTable states;
  const Model& m = mutex_model;
  const ModelState free = *m.init(ValueTable::nil_value, values, states);
  const ModelInput acquire = prepared(m, op("acquire", nullptr), nullptr, values);
  const ModelInput release = prepared(m, op("release", nullptr), nullptr, values);
  const ModelState held = *m.step(free, acquire, values, states);
  CHECK_FALSE(m.step(held, acquire, values, states).has_value());
  CHECK(m.step(held, release, values, states) == free);
  CHECK_FALSE(m.step(free, release, values, states).has_value());
  CHECK(m.show_state(held, values, states) == "held");
}

TEST_CASE("values are interned once, nil first") {
  ValueTable values;
  StateTable states;
  CHECK(values.intern(nullptr) == ValueTable::nil_value);
  const ValueId a = values.intern({1, 2});
  CHECK(values.intern({1, 2}) == a);
  CHECK(values.intern("x") != a);
  CHECK(values.show(ValueTable::nil_value) == "nil");
  CHECK(values.show(a) == "[1,2]");
}

TEST_CASE("under Knossos' convention a read of nil matches any state") {
  ValueTable values;
  StateTable states;
  Op read_invoke = op("read", nullptr), read_nil = op("read", nullptr);
  auto strict = cas_register_model.prepare(read_invoke, &read_nil, ModelConventions{}, values);
  REQUIRE(strict.has_value());
  REQUIRE(strict->has_value());
  CHECK_FALSE(cas_register_model.step(*cas_register_model.init(values.intern(0), values, states), **strict, values, states).has_value());
  auto knossos = cas_register_model.prepare(read_invoke, &read_nil, ModelConventions{.nil_read_matches_any = true}, values);
  REQUIRE(knossos.has_value());
  CHECK_FALSE(knossos->has_value());
}
