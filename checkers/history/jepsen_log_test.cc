// Jepsen's old text log: literal lines, malformed lines, and the whole jepsen-etcd corpus.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <sstream>

#include "history_format.h"
#include "jepsen_log.h"
#include "test_corpus.h"

namespace faultline {
namespace {

Op parse(std::string_view line) {
  auto op = parse_jepsen_log_line(line, "etcd.log", 1);
  if (!op) FAIL(op.error().to_string());
  return *op;
}

std::string line_error(std::string_view line) {
  auto op = parse_jepsen_log_line(line, "etcd.log", 9);
  return op ? std::string("no error") : op.error().to_string();
}

TEST_CASE("jepsen log lines with tabs or spaces") {
  Op cas = parse("INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]");
  CHECK(cas.process == 3);
  CHECK(cas.type == OpType::invoke);
  CHECK(cas.f == "cas");
  CHECK(cas.value == nlohmann::json({1, 4}));
  CHECK(cas.index == -1);
  CHECK(cas.time_ns == 0);
  CHECK_FALSE(cas.key);

  Op spaced = parse("INFO  jepsen.util - 17  :ok     :read   0   ");
  CHECK(spaced.process == 17);
  CHECK(spaced.type == OpType::ok);
  CHECK(spaced.f == "read");
  CHECK(spaced.value == 0);

  CHECK(parse("INFO  jepsen.util - 0\t:invoke\t:read\tnil").value.is_null());
  CHECK(parse("INFO  jepsen.util - 2\t:info\t:write\t:timed-out\r").value == "timed-out");
  CHECK(parse("INFO  jepsen.util - 2\t:ok\t:write\t-4").value == -4);
  CHECK(parse("INFO  jepsen.util - :nemesis\t:info\t:start\t\"cut off n1\"").is_nemesis());
  CHECK(parse("INFO  jepsen.util - 5\t:invoke\t:add-element\t#{1 2}").f == "add-element");
}

TEST_CASE("a timed-out read is a fail and its process goes on") {
  Op read = parse("INFO  jepsen.util - 3   :fail   :read   :timed-out");
  CHECK(read.type == OpType::fail);
  CHECK(read.value == "timed-out");

  std::istringstream log("INFO  jepsen.util - 3   :invoke :read   nil\n"
                         "INFO  jepsen.util - 3   :fail   :read   :timed-out\n"
                         "INFO  jepsen.util - 3   :invoke :write  1\n"
                         "INFO  jepsen.util - 3   :ok     :write  1\n");
  auto history = read_history(log, "etcd.log", HistoryFormat::jepsen_log);
  REQUIRE(history);
  CHECK(history->size() == 4);
  CHECK(history->partner(1) == 0);
}

TEST_CASE("blank lines are skipped and lines are counted") {
  std::istringstream log("\n  \nINFO  jepsen.util - 1\t:invoke\t:read\tnil\n\r\nINFO  jepsen.util - 1\t:ok\t:read\t2\n");
  std::vector<std::int64_t> lines;
  auto read = read_jepsen_log(log, "etcd.log", [&](Op, std::int64_t line) -> Expected<void> {
    lines.push_back(line);
    return {};
  });
  REQUIRE(read);
  CHECK(lines == std::vector<std::int64_t>{3, 5});
}

TEST_CASE("malformed jepsen log lines say what is wrong") {
  CHECK(line_error("INFO  jepsen.core - Running test") ==
        "etcd.log:9: expected an op line such as 'INFO  jepsen.util - 3\\t:invoke\\t:cas\\t[1 4]', got 'INFO  jepsen.core - Running test'");
  CHECK(line_error("INFO  jepsen.util - ") == "etcd.log:9: field 'process': missing");
  CHECK(line_error("INFO  jepsen.util - x3\t:invoke\t:read\tnil") ==
        "etcd.log:9: field 'process': expected a non-negative integer or :nemesis, got 'x3'");
  CHECK(line_error("INFO  jepsen.util - -1\t:invoke\t:read\tnil") ==
        "etcd.log:9: field 'process': expected a non-negative integer or :nemesis, got '-1'");
  CHECK(line_error("INFO  jepsen.util - 3") == "etcd.log:9: field 'type': missing");
  CHECK(line_error("INFO  jepsen.util - 3\tinvoke\t:read\tnil") ==
        "etcd.log:9: field 'type': expected one of :invoke, :ok, :fail, :info, got 'invoke'");
  CHECK(line_error("INFO  jepsen.util - 3\t:done\t:read\tnil") ==
        "etcd.log:9: field 'type': expected one of :invoke, :ok, :fail, :info, got ':done'");
  CHECK(line_error("INFO  jepsen.util - 3\t:invoke") == "etcd.log:9: field 'f': missing");
  CHECK(line_error("INFO  jepsen.util - 3\t:invoke\tread\tnil") ==
        "etcd.log:9: field 'f': expected a keyword such as :read, got 'read'");
  CHECK(line_error("INFO  jepsen.util - 3\t:invoke\t:\tnil") == "etcd.log:9: field 'f': expected a keyword such as :read, got ':'");
  CHECK(line_error("INFO  jepsen.util - 3\t:invoke\t:read") == "etcd.log:9: field 'value': missing");
  CHECK(line_error("INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4") ==
        "etcd.log:9: field 'value': expected an EDN value such as nil, 3, [1 4] or :timed-out, got '[1 4' "
        "(column 1: the vector is never closed (the input ends at line 1))");
  CHECK(line_error("INFO  jepsen.util - 3\t:invoke\t:cas\t1 4") ==
        "etcd.log:9: field 'value': expected an EDN value such as nil, 3, [1 4] or :timed-out, got '1 4' "
        "(column 3: expected the end of the input after one value, got 4)");
}

TEST_CASE("a malformed line in a log is reported at its line") {
  std::istringstream log("INFO  jepsen.util - 1\t:invoke\t:read\tnil\n\nINFO  jepsen.util - 1\t:okay\t:read\t3\n");
  auto read = read_jepsen_log(log, "etcd.log", [](Op, std::int64_t) -> Expected<void> { return {}; });
  REQUIRE_FALSE(read);
  CHECK(read.error().line == 3);
  CHECK(read.error().field == "type");
}

TEST_CASE("other loggers' lines of a whole jepsen.log are skipped") {
  std::istringstream log("INFO  jepsen.core - Running test\nINFO  jepsen.util - 1\t:invoke\t:read\tnil\n"
                         "WARN  jepsen.db - node n1 is slow\nINFO  jepsen.util - 1\t:ok\t:read\t2\n");
  std::vector<std::int64_t> lines;
  auto read = read_jepsen_log(log, "jepsen.log", [&](Op, std::int64_t line) -> Expected<void> {
    lines.push_back(line);
    return {};
  });
  REQUIRE(read);
  CHECK(lines == std::vector<std::int64_t>{2, 4});
}

TEST_CASE("a log without a single op line is an error, not an empty history") {
  std::istringstream log("INFO  jepsen.core - Running test\nsomething else\n");
  auto read = read_jepsen_log(log, "jepsen.log", [](Op, std::int64_t) -> Expected<void> { return {}; });
  REQUIRE_FALSE(read);
  CHECK(read.error().to_string() ==
        "jepsen.log: no op lines (such as 'INFO  jepsen.util - 3\\t:invoke\\t:cas\\t[1 4]') in 2 lines");
}

TEST_CASE("an empty log is an empty history, as in every other format") {
  for (const char* text : {"", "\n\n", "  \r\n"}) {
    std::istringstream log(text);
    std::size_t ops = 0;
    auto read = read_jepsen_log(log, "jepsen.log", [&](Op, std::int64_t) -> Expected<void> { ++ops; return {}; });
    CHECK(read.has_value());
    CHECK(ops == 0);
  }
}

TEST_CASE("fuzz: mutated log lines give an op or an error naming the line") {
  const std::uint64_t seed = Catch::rngSeed() != 0 ? Catch::rngSeed() : 20240502;
  std::mt19937_64 random(seed);
  const std::string lines[] = {"INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]", "INFO  jepsen.util - 17  :fail   :read   :timed-out",
                               "INFO  jepsen.util - :nemesis\t:info\t:start\t\"n1\""};
  static constexpr std::string_view inserts[] = {"[", "]", "\"", "\\", ":", " ", "\t", "#_", "-", "nil"};
  for (int iteration = 0; iteration < 5'000; ++iteration) {
    std::string line = lines[random() % std::size(lines)];
    for (int m = 1 + static_cast<int>(random() % 3); m > 0 && !line.empty(); --m) {
      const std::size_t at = random() % line.size();
      switch (random() % 3) {
        case 0: line[at] = static_cast<char>(random() % 256); break;
        case 1: line.erase(at, 1 + random() % 6); break;
        case 2: line.insert(at, inserts[random() % std::size(inserts)]); break;
      }
    }
    auto op = parse_jepsen_log_line(line, "etcd.log", 4);
    if (!op && (op.error().line != 4 || op.error().message.empty()))
      FAIL("iteration " << iteration << " (reproduce with --rng-seed " << seed << "): " << op.error().to_string());
  }
}

// EXPECTED.tsv's `operations` counts invocations (each log has exactly twice as many lines,
// every invocation completes) and `indeterminate` counts the :info completions.
TEST_CASE("every history of the jepsen-etcd corpus reads and matches EXPECTED.tsv") {
  const auto folder = test::corpus_folder("jepsen-etcd");
  std::istringstream expected(test::read_text_file(folder / "EXPECTED.tsv"));
  std::string row;
  REQUIRE(std::getline(expected, row));
  REQUIRE(row == "file\toperations\tindeterminate\tlinearizable");
  int files = 0, files_with_timed_out_reads = 0;
  while (std::getline(expected, row)) {
    std::istringstream fields(row);
    std::string file;
    std::size_t operations = 0, indeterminate = 0;
    fields >> file >> operations >> indeterminate;
    INFO(file);
    auto history = read_history_file((folder / file).string(), HistoryFormat::auto_detect);
    REQUIRE(history);
    const auto& ops = history->ops();
    auto count = [&](auto predicate) { return static_cast<std::size_t>(std::count_if(ops.begin(), ops.end(), predicate)); };
    CHECK(count([](const Op& op) { return op.type == OpType::invoke; }) == operations);
    CHECK(count([](const Op& op) { return op.type == OpType::info; }) == indeterminate);
    CHECK(ops.size() == 2 * operations);
    for (std::size_t i = 0; i < ops.size(); ++i) CHECK(history->partner(i) >= 0);
    if (count([](const Op& op) { return op.type == OpType::fail && op.f == "read"; }) > 0) ++files_with_timed_out_reads;
    ++files;
  }
  CHECK(files == 102);
  CHECK(files_with_timed_out_reads == 3);  // etcd_100, etcd_101, etcd_102
}

}  // namespace
// Found by fuzz/history_fuzz (see edn_test.cc): a log line that is not UTF-8 is refused.
TEST_CASE("a log line that is not UTF-8 is an error naming the line") {
  auto op = parse_jepsen_log_line("INFO  jepsen.util - 3\t:invoke\t:c\xfc" "as\t[1 4]", "etcd.log", 7);
  REQUIRE_FALSE(op);
  CHECK(op.error().to_string() == "etcd.log:7: the line is not UTF-8 text (byte 33 of it)");
}

}  // namespace faultline
