// The fifo and unordered queues (Knossos' models) through the checker: literal histories
// whose verdicts are known by hand, and the op a counterexample must name.
#include <catch2/catch.hpp>

#include "models/model_check_support.h"

using namespace faultline;
using faultline::test::check_model;
using nlohmann::json;

namespace {

std::string op(int p, const std::string& type, const std::string& f, const json& value) {
  return json{{"process", p}, {"type", type}, {"f", f}, {"value", value}}.dump() + "\n";
}
std::string enqueued(int p, int value) { return op(p, "invoke", "enqueue", value) + op(p, "ok", "enqueue", value); }
std::string dequeued(int p, const json& value) { return op(p, "invoke", "dequeue", nullptr) + op(p, "ok", "dequeue", value); }

}  // namespace

TEST_CASE("fifo-queue: values leave in the order they came, out of order is invalid, and named") {
  const std::string two = enqueued(0, 1) + enqueued(0, 2);
  CHECK(check_model("fifo-queue", two + dequeued(1, 1) + dequeued(1, 2)).verdict == Verdict::valid);
  const CheckResult jumped = check_model("fifo-queue", two + dequeued(1, 2));
  REQUIRE(jumped.verdict == Verdict::invalid);
  const json& anomaly = jumped.details["anomaly"];
  CHECK(anomaly["op"]["process"] == 1);
  CHECK(anomaly["op"]["input"] == "dequeue 2");
  CHECK(anomaly["explanation"] == "dequeue returned 2, but the queue can only be [1 2] here");
  CHECK(check_model("unordered-queue", two + dequeued(1, 2) + dequeued(1, 1)).verdict == Verdict::valid);
}

TEST_CASE("queues: a value is dequeued once, a dequeue of nil found the queue empty") {
  for (const char* model : {"fifo-queue", "unordered-queue"}) {
    INFO(model);
    CHECK(check_model(model, enqueued(0, 1) + dequeued(1, 1) + dequeued(2, 1)).verdict == Verdict::invalid);
    CHECK(check_model(model, dequeued(1, nullptr) + enqueued(0, 1) + dequeued(1, 1)).verdict == Verdict::valid);
    const CheckResult not_empty = check_model(model, enqueued(0, 1) + dequeued(1, nullptr));
    REQUIRE(not_empty.verdict == Verdict::invalid);
    CHECK(not_empty.details["anomaly"]["op"]["input"] == "dequeue nil (empty)");
    CHECK(check_model(model, dequeued(1, 7)).verdict == Verdict::invalid);  // never enqueued
  }
}

TEST_CASE("queues: concurrent enqueues may land in either order") {
  const std::string concurrent =
      op(0, "invoke", "enqueue", 1) + op(1, "invoke", "enqueue", 2) + op(0, "ok", "enqueue", 1) + op(1, "ok", "enqueue", 2);
  CHECK(check_model("fifo-queue", concurrent + dequeued(2, 2) + dequeued(2, 1)).verdict == Verdict::valid);
  CHECK(check_model("fifo-queue", concurrent + dequeued(2, 1) + dequeued(2, 2)).verdict == Verdict::valid);
}

TEST_CASE("queues: a dequeue of unknown outcome may have taken a value, which one the history does not say") {
  const std::string maybe_taken = op(1, "invoke", "dequeue", nullptr) + op(1, "info", "dequeue", nullptr);
  for (const char* model : {"fifo-queue", "unordered-queue"}) {
    INFO(model);
    // It took 1, so the queue was empty.
    CHECK(check_model(model, enqueued(0, 1) + maybe_taken + dequeued(2, nullptr)).verdict == Verdict::valid);
    // It took nothing (1 and 2 leave, then the queue is empty); it cannot give 2 back twice.
    const std::string two = enqueued(0, 1) + enqueued(0, 2) + maybe_taken;
    CHECK(check_model(model, two + dequeued(2, 1) + dequeued(2, 2) + dequeued(2, nullptr)).verdict == Verdict::valid);
    CHECK(check_model(model, two + dequeued(2, 1) + dequeued(2, 2) + dequeued(2, 2)).verdict == Verdict::invalid);
  }
  // From an unordered queue it may have taken any value: here 1, leaving 2 then nothing.
  const std::string two = enqueued(0, 1) + enqueued(0, 2) + maybe_taken;
  CHECK(check_model("unordered-queue", two + dequeued(2, 2) + dequeued(2, nullptr)).verdict == Verdict::valid);
  // From a fifo queue only the head: it took 1, then 2 leaves; without it, 2 cannot leave first.
  CHECK(check_model("fifo-queue", two + dequeued(2, 2) + dequeued(2, nullptr)).verdict == Verdict::valid);
  CHECK(check_model("fifo-queue", enqueued(0, 1) + enqueued(0, 2) + dequeued(2, 2)).verdict == Verdict::invalid);
}
