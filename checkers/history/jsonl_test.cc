// The native format: a round trip through JsonlWriter, and every kind of malformed line.
#include <catch2/catch.hpp>

#include <sstream>

#include "jsonl.h"

namespace faultline {
namespace {

// Reads `text` and returns the ops and lines, or throws the error text for CHECK_THROWS_WITH.
std::vector<std::pair<Op, std::int64_t>> read_all(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::pair<Op, std::int64_t>> ops;
  auto read = read_jsonl(in, "h.jsonl", [&](Op op, std::int64_t line) -> Expected<void> {
    ops.emplace_back(std::move(op), line);
    return {};
  });
  if (!read) throw std::runtime_error(read.error().to_string());
  return ops;
}

std::string line_error(std::string_view line) {
  auto op = parse_jsonl_op(line, "h.jsonl", 12);
  return op ? std::string("no error") : op.error().to_string();
}

TEST_CASE("ops written by JsonlWriter read back the same") {
  std::vector<Op> written(4);
  written[0] = Op{0, 100, 3, OpType::invoke, "cas", std::string("k7"), {1, 3}, std::nullopt, std::nullopt, std::nullopt};
  written[1] = Op{1, 250, nemesis_process, OpType::info, "start", std::nullopt, {{"isolated", {"n1", "n2"}}}, std::nullopt, std::nullopt, std::nullopt};
  written[2] = Op{2, 9'000'000'000'000, 3, OpType::ok, "cas", std::string("k\"7\n"), {1, 3}, std::nullopt, std::nullopt, std::nullopt};
  written[3] = Op{3, 0, 12, OpType::fail, "read", std::nullopt, "caf\u00e9 \"q\"", std::nullopt, std::nullopt, std::nullopt};
  written[0].node = "n2";  // the node the client sent it to
  written[3].answer = "answered";  // the system answered, not ok: a failed compare
  std::ostringstream out;
  JsonlWriter writer(out);
  for (const Op& op : written) writer.write(op);
  CHECK(out.str().substr(0, out.str().find('\n')) ==
        R"({"index":0,"time":100,"process":3,"type":"invoke","f":"cas","key":"k7","value":[1,3],"node":"n2"})");

  auto read = read_all(out.str());
  REQUIRE(read.size() == written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    const Op& op = read[i].first;
    CHECK(read[i].second == static_cast<std::int64_t>(i + 1));
    CHECK(op.index == written[i].index);
    CHECK(op.time_ns == written[i].time_ns);
    CHECK(op.process == written[i].process);
    CHECK(op.type == written[i].type);
    CHECK(op.f == written[i].f);
    CHECK(op.key == written[i].key);
    CHECK(op.value == written[i].value);
    CHECK(op.answer == written[i].answer);
    CHECK(op_to_json(op) == op_to_json(written[i]));
  }
}

TEST_CASE("optional fields take their defaults, unknown fields are ignored") {
  auto ops = read_all("\n  \n{\"process\":\"nemesis\",\"type\":\"info\",\"f\":\"kill\",\"extra\":{\"a\":1}}\r\n"
                      "{\"process\":4,\"type\":\"invoke\",\"f\":\"write\",\"key\":12,\"value\":null,\"index\":null}\n");
  REQUIRE(ops.size() == 2);
  CHECK(ops[0].second == 3);  // blank lines count
  CHECK(ops[0].first.is_nemesis());
  CHECK(ops[0].first.index == -1);
  CHECK(ops[0].first.time_ns == 0);
  CHECK_FALSE(ops[0].first.key);
  CHECK(ops[0].first.value.is_null());
  CHECK(ops[1].second == 4);
  CHECK(ops[1].first.key == "12");
}

TEST_CASE("each malformed line says exactly what is wrong") {
  CHECK(line_error(R"({"process":1,"type":"ok")") == "h.jsonl:12: not valid JSON");
  CHECK(line_error(R"({"process":1,"type":"fail","f":"cas","answer":"maybe"})") ==
        R"(h.jsonl:12: field 'answer': expected one of "answered", "refused", "unreachable", "timeout", got "maybe")");
  CHECK(line_error("process 1 ok read") == "h.jsonl:12: not valid JSON");
  CHECK(line_error(R"([1,"ok","read"])") == "h.jsonl:12: expected a JSON object, one op per line");
  CHECK(line_error("17") == "h.jsonl:12: expected a JSON object, one op per line");
  CHECK(line_error(R"({"type":"ok","f":"read"})") == "h.jsonl:12: field 'process': missing");
  CHECK(line_error(R"({"process":"p1","type":"ok","f":"read"})") ==
        R"(h.jsonl:12: field 'process': expected a non-negative integer or "nemesis", got "p1")");
  CHECK(line_error(R"({"process":-2,"type":"ok","f":"read"})") ==
        R"(h.jsonl:12: field 'process': expected a non-negative integer or "nemesis", got -2)");
  CHECK(line_error(R"({"process":1.5,"type":"ok","f":"read"})") ==
        R"(h.jsonl:12: field 'process': expected a non-negative integer or "nemesis", got 1.5)");
  CHECK(line_error(R"({"process":1,"f":"read"})") == "h.jsonl:12: field 'type': missing");
  CHECK(line_error(R"({"process":1,"type":"done","f":"read"})") ==
        R"(h.jsonl:12: field 'type': expected one of "invoke", "ok", "fail", "info", got "done")");
  CHECK(line_error(R"({"process":1,"type":2,"f":"read"})") ==
        R"(h.jsonl:12: field 'type': expected one of "invoke", "ok", "fail", "info", got 2)");
  CHECK(line_error(R"({"process":1,"type":"ok"})") == "h.jsonl:12: field 'f': missing");
  CHECK(line_error(R"({"process":1,"type":"ok","f":""})") == R"(h.jsonl:12: field 'f': expected a non-empty string, got "")");
  CHECK(line_error(R"({"process":1,"type":"ok","f":7})") == R"(h.jsonl:12: field 'f': expected a non-empty string, got 7)");
  CHECK(line_error(R"({"index":-1,"process":1,"type":"ok","f":"read"})") ==
        "h.jsonl:12: field 'index': expected a non-negative integer, got -1");
  CHECK(line_error(R"({"index":"3","process":1,"type":"ok","f":"read"})") ==
        R"(h.jsonl:12: field 'index': expected a non-negative integer, got "3")");
  CHECK(line_error(R"({"time":"noon","process":1,"type":"ok","f":"read"})") ==
        R"(h.jsonl:12: field 'time': expected an integer (nanoseconds since the test started), got "noon")");
  CHECK(line_error(R"({"time":1.5,"process":1,"type":"ok","f":"read"})") ==
        R"(h.jsonl:12: field 'time': expected an integer (nanoseconds since the test started), got 1.5)");
  CHECK(line_error(R"({"process":1,"type":"ok","f":"read","key":[1]})") ==
        R"(h.jsonl:12: field 'key': expected a string or an integer, got [1])");
}

TEST_CASE("a malformed line in a stream is reported at its line") {
  CHECK_THROWS_WITH(read_all("{\"process\":1,\"type\":\"invoke\",\"f\":\"read\"}\n\n{\"process\":1,\"type\":\"ok\"}\n"),
                    "h.jsonl:3: field 'f': missing");
}

TEST_CASE("an error from the sink stops the reading") {
  std::istringstream in("{\"process\":1,\"type\":\"invoke\",\"f\":\"read\"}\n{\"process\":1,\"type\":\"ok\",\"f\":\"read\"}\n");
  int calls = 0;
  auto read = read_jsonl(in, "h.jsonl", [&](Op, std::int64_t line) -> Expected<void> {
    ++calls;
    return std::unexpected(InputError{"h.jsonl", line, "", "refused"});
  });
  REQUIRE_FALSE(read);
  CHECK(read.error().to_string() == "h.jsonl:1: refused");
  CHECK(calls == 1);
}

}  // namespace
TEST_CASE("the error of a fail or info op is kept, and must be a string") {
  auto op = parse_jsonl_op(R"({"process":1,"type":"info","f":"write","value":3,"error":"timed out after 2000 ms"})", "h.jsonl", 12);
  REQUIRE(op);
  CHECK(op->error == "timed out after 2000 ms");
  CHECK(op_to_json(*op)["error"] == "timed out after 2000 ms");
  CHECK(line_error(R"({"process":1,"type":"info","f":"write","error":5})") ==
        "h.jsonl:12: field 'error': expected a string, got 5");
}

}  // namespace faultline
