// EDN histories: op maps as Knossos and Jepsen write them, independent keys, malformed ops,
// the knossos-memstress corpus, and a fuzz test of the reader on mutated histories.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <sstream>

#include "edn.h"
#include "edn_history.h"
#include "history_format.h"
#include "test_corpus.h"

namespace faultline {
namespace {

using nlohmann::json;

struct ReadOps {
  std::vector<Op> ops;
  std::vector<std::int64_t> lines;
};

// Reads `text` without validating pairing; throws the error text for CHECK_THROWS_WITH.
ReadOps read_edn(const std::string& text) {
  std::istringstream in(text);
  ReadOps read;
  auto result = read_edn_history(in, "h.edn", [&](Op op, std::int64_t line) -> Expected<void> {
    read.ops.push_back(std::move(op));
    read.lines.push_back(line);
    return {};
  });
  if (!result) throw std::runtime_error(result.error().to_string());
  return read;
}

TEST_CASE("a Knossos history: a vector of op maps") {
  auto read = read_edn("[{:process 7, :type :invoke, :f :cas, :value [2 3]}\n"
                       " {:process 7, :type :fail, :f :cas, :value [2 3]}\n"
                       " {:type :invoke, :value nil, :process 1, :f :read}\n"
                       " {:f :read, :value 2, :type :ok, :process 1}]\n");
  REQUIRE(read.ops.size() == 4);
  CHECK(read.lines == std::vector<std::int64_t>{1, 2, 3, 4});
  const Op& cas = read.ops[0];
  CHECK(cas.process == 7);
  CHECK(cas.type == OpType::invoke);
  CHECK(cas.f == "cas");
  CHECK(cas.value == json({2, 3}));
  CHECK_FALSE(cas.key);  // [2 3] is a cas argument, not a [key [from to]] tuple
  CHECK(cas.index == -1);
  CHECK(read.ops[1].type == OpType::fail);
  CHECK(read.ops[2].value.is_null());
  CHECK(read.ops[3].type == OpType::ok);
  CHECK(read.ops[3].value == 2);
}

TEST_CASE("a Jepsen history.edn: one map a line, with time, index, nemesis and extra keys") {
  auto read = read_edn(
      "{:type :invoke, :f :write, :value 3, :time 1200, :process 0, :index 0}\n"
      "{:type :info, :f :start, :value {:isolated #{\"n1\" \"n2\"}}, :time 1500, :process :nemesis, :index 1}\n"
      "{:type :info, :f :write, :value 3, :time 9000, :process 0, :error [:timeout \"read timed out\"], :index 2}\n"
      "{:type :invoke, :f \"read\", :value nil, :time 9100, :process 5, :index 3}\n"
      "{:index 4, :time 9200, :type :fail, :f :read, :process 5, :value :not-found}\n");
  REQUIRE(read.ops.size() == 5);
  CHECK(read.ops[0].time_ns == 1200);
  CHECK(read.ops[0].index == 0);
  CHECK(read.ops[1].is_nemesis());
  CHECK(read.ops[1].f == "start");
  CHECK(read.ops[1].value == json({{"isolated", {"n1", "n2"}}}));
  CHECK(read.ops[2].type == OpType::info);
  CHECK(read.ops[2].value == 3);  // :error is not kept
  CHECK(read.ops[3].f == "read");
  CHECK(read.ops[4].value == "not-found");
  CHECK(read.ops[4].index == 4);
  CHECK(read.lines == std::vector<std::int64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("ops printed as Clojure records read as their maps") {
  auto read = read_edn("[#jepsen.history.Op{:index 0, :time 5, :type :invoke, :process 2, :f :read, :value nil}\n"
                       " #jepsen.history.Op{:index 1, :time 9, :type :ok, :process 2, :f :read, :value 4}]");
  REQUIRE(read.ops.size() == 2);
  CHECK(read.ops[1].process == 2);
  CHECK(read.ops[1].value == 4);
  CHECK(read.ops[1].time_ns == 9);
  CHECK(read.lines == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("an op's line is the line where its map starts") {
  auto read = read_edn(";; Jepsen\n[\n{:process 0,\n :type :invoke,\n :f :read}\n\n  {:process 0\n   :type :ok :f :read :value 1}]");
  CHECK(read.lines == std::vector<std::int64_t>{3, 7});
}

TEST_CASE("independent keys: every client value a [key value] tuple") {
  auto read = read_edn("[{:process 0, :type :invoke, :f :write, :value [3 7]}\n"
                       " {:process :nemesis, :type :info, :f :start, :value nil}\n"
                       " {:process 0, :type :ok, :f :write, :value [3 7]}\n"
                       " {:process 1, :type :invoke, :f :cas, :value [:k9 [7 8]]}\n"
                       " {:process 2, :type :invoke, :f :read, :value [\"x\" nil]}]");
  REQUIRE(read.ops.size() == 5);
  CHECK(read.ops[0].key == "3");
  CHECK(read.ops[0].value == 7);
  CHECK_FALSE(read.ops[1].key);
  CHECK(read.ops[1].value.is_null());
  CHECK(read.ops[3].key == "k9");
  CHECK(read.ops[3].value == json({7, 8}));
  CHECK(read.ops[4].key == "x");
  CHECK(read.ops[4].value.is_null());
  CHECK(read.lines == std::vector<std::int64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("a :key field (Porcupine's convention) is the op's key, its value stays whole") {
  auto read = read_edn("{:process 0, :type :invoke, :f :write, :key \"a\", :value 1}\n"
                       "{:process 0, :type :ok, :f :write, :key \"a\", :value 1}\n"
                       "{:process 1, :type :invoke, :f :append, :key 7, :value [1 2]}\n"
                       "{:process 2, :type :invoke, :f :read, :key :k, :value nil}\n"
                       "{:process 3, :type :invoke, :f :read, :key nil, :value [1 2]}\n");
  REQUIRE(read.ops.size() == 5);
  CHECK(read.ops[0].key == "a");
  CHECK(read.ops[0].value == 1);
  CHECK(read.ops[2].key == "7");
  CHECK(read.ops[2].value == json({1, 2}));  // a two-element value, not a [k v] tuple
  CHECK(read.ops[3].key == "k");
  CHECK_FALSE(read.ops[4].key);
  CHECK_THROWS_WITH(read_edn("{:process 0, :type :invoke, :f :read, :key [1], :value nil}"),
                    Catch::Contains("h.edn:1: field 'key': expected a string, a keyword or an integer"));
}

TEST_CASE("one client value that is not a tuple keeps every value whole") {
  auto read = read_edn("{:process 0, :type :invoke, :f :write, :value [3 7]}\n"
                       "{:process 0, :type :ok, :f :write, :value [3 7]}\n"
                       "{:process 1, :type :invoke, :f :read, :value nil}\n"
                       "{:process 2, :type :invoke, :f :write, :value [4 1]}\n");
  for (const Op& op : read.ops) CHECK_FALSE(op.key);
  CHECK(read.ops[0].value == json({3, 7}));
  CHECK(read.ops[3].value == json({4, 1}));
  // A cas whose value is [from to], not [key [from to]], is not a tuple either.
  auto cas = read_edn("[{:process 0, :type :invoke, :f :cas, :value [1 [2 3]]} {:process 1, :type :invoke, :f :cas, :value [1 2]}]");
  CHECK_FALSE(cas.ops[0].key);
  CHECK(cas.ops[0].value == json::parse("[1,[2,3]]"));
  // A key must be an integer, a keyword or a string.
  auto vector_key = read_edn("[{:process 0, :type :invoke, :f :write, :value [[1] 2]}]");
  CHECK_FALSE(vector_key.ops[0].key);
  // Only nemesis ops: nothing to key.
  auto nemesis = read_edn("[{:process :nemesis, :type :info, :f :start, :value [1 2]}]");
  CHECK_FALSE(nemesis.ops[0].key);
  CHECK(nemesis.ops[0].value == json({1, 2}));
}

TEST_CASE("a plain history streams: ops reach the sink before the rest is read") {
  std::istringstream in("{:process 0, :type :invoke, :f :read}\n{:process 0, :type :ok, :f :read}\n{:process");
  int delivered = 0;
  auto result = read_edn_history(in, "h.edn", [&](Op, std::int64_t) -> Expected<void> {
    ++delivered;
    return {};
  });
  REQUIRE_FALSE(result);
  CHECK(delivered == 2);
  CHECK(result.error().to_string() == "h.edn:3: column 1: the map is never closed (the input ends at line 3)");
}

TEST_CASE("malformed ops name the field and the line of the map") {
  auto error_of = [](const std::string& text) {
    try {
      read_edn(text);
      return std::string("no error");
    } catch (const std::runtime_error& error) {
      return std::string(error.what());
    }
  };
  CHECK(error_of("[{:process 0, :type :invoke, :f :read}\n [:process 0]]") ==
        "h.edn:2: expected an op map such as {:process 0, :type :invoke, :f :read, :value nil}, got [:process 0]");
  CHECK(error_of("\n\n{:type :invoke, :f :read}") ==
        "h.edn:3: field 'process': missing, and ops without :process are read as one process only when each invocation "
        "is directly followed by its completion (this invocation never completes)");
  CHECK(error_of("{:process 0, :type :invoke, :f :read}\n{:type :ok, :f :read}") == "h.edn:2: field 'process': missing");
  CHECK(error_of("{:process 0, :f :read}") == "h.edn:1: field 'type': missing");
  CHECK(error_of("{:process 0, :type :ok}") == "h.edn:1: field 'f': missing");
  CHECK(error_of("{:process -1, :type :ok, :f :read}") ==
        "h.edn:1: field 'process': expected a non-negative integer or :nemesis, got -1");
  CHECK(error_of("{:process :client, :type :ok, :f :read}") ==
        "h.edn:1: field 'process': expected a non-negative integer or :nemesis, got :client");
  CHECK(error_of("{:process 1.0, :type :ok, :f :read}") ==
        "h.edn:1: field 'process': expected a non-negative integer or :nemesis, got 1.0");
  CHECK(error_of("{:process 0, :type :done, :f :read}") ==
        "h.edn:1: field 'type': expected one of :invoke, :ok, :fail, :info, got :done");
  CHECK(error_of("{:process 0, :type nil, :f :read}") == "h.edn:1: field 'type': expected one of :invoke, :ok, :fail, :info, got nil");
  CHECK(error_of("{:process 0, :type :ok, :f 3}") == "h.edn:1: field 'f': expected a keyword such as :read, or a string, got 3");
  CHECK(error_of("{:process 0, :type :ok, :f \"\"}") ==
        "h.edn:1: field 'f': expected a keyword such as :read, or a string, got \"\"");
  CHECK(error_of("{:process 0, :type :ok, :f :read, :time \"noon\"}") ==
        "h.edn:1: field 'time': expected an integer (nanoseconds), got \"noon\"");
  CHECK(error_of("{:process 0, :type :ok, :f :read, :index -3}") == "h.edn:1: field 'index': expected a non-negative integer, got -3");
  CHECK(error_of("{:process 0, :type :ok, :f :read, :process 1}") == "h.edn:1: field 'process': the op map has :process twice");
  CHECK(error_of("{:process 0, :type :ok, :f :read, :value [1 2") == "h.edn:1: column 42: the vector is never closed (the input ends at line 1)");
}

TEST_CASE("Elle's transactions: keywords become strings, vectors arrays, nil reads null") {
  auto read = read_edn("{:type :invoke, :f :txn, :value [[:append 9 1] [:r 11 nil]], :process 18, :time 16357277, :index 1}\n"
                       "{:type :ok, :f :txn, :value [[:append 9 1] [:r 11 [1 2]]], :process 18, :time 16357299, :index 3}\n"
                       "{:type :info, :f :kill, :value :all, :process :nemesis, :index 4}\n");
  REQUIRE(read.ops.size() == 3);
  CHECK(read.ops[0].f == "txn");
  CHECK_FALSE(read.ops[0].key);  // a two-mop transaction is not an independent [k v] tuple
  CHECK(read.ops[0].value == json::parse(R"([["append",9,1],["r",11,null]])"));
  CHECK(read.ops[1].value == json::parse(R"([["append",9,1],["r",11,[1,2]]])"));
  CHECK(read.ops[2].is_nemesis());
}

TEST_CASE("Elle's paper example: no :process and no :f reads as one process of txns") {
  std::istringstream in("{:index 0 :type :invoke :value [[:append 253 1] [:r 255 nil]]}\n"
                        "{:index 1 :type :ok     :value [[:append 253 1] [:r 255 [2]]]}\n"
                        "{:index 2 :type :invoke, :value [[:r 253 nil]]}\n"
                        "{:index 3 :type :ok,     :value [[:r 253 [1]]]}\n");
  auto history = read_history(in, "h.edn", HistoryFormat::edn);
  if (!history) FAIL(history.error().to_string());
  REQUIRE(history->size() == 4);
  for (const Op& op : history->ops()) {
    CHECK(op.process == 0);
    CHECK(op.f == "txn");
  }
  CHECK(history->partner(0) == 1);
  CHECK(history->partner(2) == 3);
}

TEST_CASE("ops without :process are refused when they overlap, or when only some have one") {
  auto error_of = [](const std::string& text) {
    try {
      read_edn(text);
      return std::string("no error");
    } catch (const std::runtime_error& error) {
      return std::string(error.what());
    }
  };
  const std::string rule = "ops without :process are read as one process only when each invocation is directly followed by its completion";
  CHECK(error_of("{:type :invoke, :value [[:r 1 nil]]}\n{:type :invoke, :value [[:r 2 nil]]}") ==
        "h.edn:2: field 'process': missing, and " + rule + " (the invocation at line 1 has not completed)");
  CHECK(error_of("{:type :ok, :value [[:r 1 nil]]}") ==
        "h.edn:1: field 'process': missing, and " + rule + " (this completion follows no invocation)");
  CHECK(error_of("{:type :invoke, :value [[:r 1 nil]]}\n{:type :ok, :value [[:r 1 nil]]}\n{:type :invoke, :f :txn, :process 3, :value [[:r 1 nil]]}") ==
        "h.edn:3: field 'process': this op has :process, but the op at line 1 has none: either every op has one or none does");
  // Without :f, only a transaction value is taken as a txn.
  CHECK(error_of("{:process 0, :type :invoke, :value 3}") == "h.edn:1: field 'f': missing");
  CHECK(error_of("{:process 0, :type :invoke, :value [1 2]}") == "h.edn:1: field 'f': missing");
}

TEST_CASE("Elle's corpus histories read and validate") {
  const auto folder = test::corpus_folder_or_skip("elle");
  struct Expected {
    const char* file;
    std::size_t client_ops;
    std::size_t nemesis_ops;
  };
  for (const Expected& expected : {Expected{"paper-example.edn", 8, 0}, Expected{"si-without-g-single.edn", 8, 0},
                                   Expected{"huge-scc.edn", 20602 - 94, 94}}) {
    INFO(expected.file);
    auto history = read_history_file((folder / expected.file).string(), HistoryFormat::auto_detect);
    if (!history) FAIL(history.error().to_string());
    std::size_t client = 0, nemesis = 0;
    for (const Op& op : history->ops()) {
      if (op.is_nemesis()) {
        ++nemesis;
        continue;
      }
      ++client;
      CHECK(op.f == "txn");
      CHECK(op.value.is_array());
    }
    CHECK(client == expected.client_ops);
    CHECK(nemesis == expected.nemesis_ops);
  }
}

TEST_CASE("errors from the history's validation come through with the op's line") {
  std::istringstream in("[{:process 0, :type :invoke, :f :read}\n {:process 0, :type :invoke, :f :read}]");
  auto history = read_history(in, "h.edn", HistoryFormat::edn);
  REQUIRE_FALSE(history);
  CHECK(history.error().to_string() ==
        "h.edn:2: field 'process': process 0 invokes twice without completing (its open invocation is at line 1)");
}

// The Knossos corpus holds 32448 ops; many files end with invocations that never completed,
// so "an even number of client ops" does not hold. What does: every completion pairs with an
// earlier invocation of the same process and f, and values are nil, integers or [from to].
TEST_CASE("every history of the knossos-memstress corpus reads and validates") {
  const auto folder = test::corpus_folder("knossos-memstress");
  std::size_t files = 0, ops_total = 0, invocations_total = 0, files_with_open_invocations = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".edn") continue;
    INFO(entry.path().string());
    auto history = read_history_file(entry.path().string(), HistoryFormat::auto_detect);
    REQUIRE(history);
    const std::string text = test::read_text_file(entry.path());
    std::size_t maps = 0;
    for (std::size_t at = text.find("{:process"); at != std::string::npos; at = text.find("{:process", at + 1)) ++maps;
    CHECK(history->size() == maps);
    std::size_t invocations = 0, completions = 0;
    for (std::size_t i = 0; i < history->size(); ++i) {
      const Op& op = (*history)[i];
      CHECK_FALSE(op.key);
      CHECK((op.value.is_null() || op.value.is_number_integer() || (op.value.is_array() && op.value.size() == 2)));
      if (op.type == OpType::invoke) {
        ++invocations;
      } else {
        ++completions;
        CHECK(history->partner(i) >= 0);
      }
    }
    if (invocations != completions) ++files_with_open_invocations;
    ops_total += history->size();
    invocations_total += invocations;
    ++files;
  }
  CHECK(files == 100);
  CHECK(ops_total == 32448);
  CHECK(invocations_total == 16349);
  CHECK(files_with_open_invocations == 45);
}

// A history of `ops` ops in Knossos' shape, with a few constructs the reader must survive.
std::string generated_history(std::mt19937_64& random, int ops) {
  std::string text = "; generated\n[";
  for (int i = 0; i < ops; ++i) {
    const int process = static_cast<int>(random() % 5);
    text += "{:process " + std::to_string(process) + ", :type :invoke, :f :cas, :value [" +
            std::to_string(random() % 5) + " " + std::to_string(random() % 5) + "]}\n ";
    text += "{:f :cas :type :ok :process " + std::to_string(process) + " :error \"a \\\"quoted\\\" {x}\" #_ [1 2] :value #{1 :k}}\n ";
  }
  return text + "]";
}

// Mutates `text` the ways files get damaged: flipped bytes, cuts, stray brackets and quotes.
void mutate(std::mt19937_64& random, std::string& text) {
  static constexpr std::string_view inserts[] = {"[", "]", "{", "}", "(", ")", "\"", "\\", "#", "#_", "#{", ":", ";", "\n", "\\u", "N", "-"};
  const int mutations = 1 + static_cast<int>(random() % 4);
  for (int m = 0; m < mutations && !text.empty(); ++m) {
    const std::size_t at = random() % text.size();
    switch (random() % 5) {
      case 0: text[at] = static_cast<char>(random() % 256); break;
      case 1: text.resize(at); break;
      case 2: text.insert(at, inserts[random() % std::size(inserts)]); break;
      case 3: text.erase(at, 1 + random() % 8); break;
      case 4: text.insert(at, std::string(1 + random() % 300, "[{(#"[random() % 4])); break;
    }
  }
}

TEST_CASE("fuzz: mutated histories give ops or an error with a line, never a crash") {
  // Catch's --rng-seed N picks another seed; without it the run is the same every time.
  const std::uint64_t seed = Catch::rngSeed() != 0 ? Catch::rngSeed() : 20240501;
  constexpr int iterations = 20'000;
  std::mt19937_64 random(seed);
  int errors = 0;
  for (int iteration = 0; iteration < iterations; ++iteration) {
    std::string text = generated_history(random, 1 + static_cast<int>(random() % 6));
    mutate(random, text);
    const auto lines = static_cast<std::int64_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    std::istringstream in(text);
    std::size_t delivered = 0;
    auto result = read_edn_history(in, "fuzz.edn", [&](Op op, std::int64_t line) -> Expected<void> {
      ++delivered;
      if (line < 1 || line > lines) return std::unexpected(InputError{"fuzz.edn", 0, "", "line out of range"});
      return {};
    });
    if (iteration % 4 == 0) {
      // The stream read in tiny chunks must give what the text read whole gives.
      std::istringstream chunked_in(text);
      EdnReader chunked(chunked_in, "fuzz.edn", 2 + iteration % 7);
      EdnReader whole(std::string_view(text), "fuzz.edn");
      for (;;) {
        auto a = chunked.next_element();
        auto b = whole.next_element();
        INFO("chunk " << 2 + iteration % 7 << "\n" << text);
        INFO((a ? std::string("value") : a.error().to_string()) << " vs " << (b ? std::string("value") : b.error().to_string()));
        REQUIRE(a.has_value() == b.has_value());
        if (!a) {
          REQUIRE(a.error().to_string() == b.error().to_string());
          break;
        }
        REQUIRE(a->has_value() == b->has_value());
        if (!*a) break;
        REQUIRE(edn_to_text(**a, 1000) == edn_to_text(**b, 1000));
        REQUIRE((*a)->line == (*b)->line);
      }
    }
    if (!result) {
      ++errors;
      if (result.error().line < 1 || result.error().line > lines || result.error().message.empty()) {
        FAIL("iteration " << iteration << " (reproduce with --rng-seed " << seed << "): "
                          << result.error().to_string() << "\n" << text);
      }
    }
  }
  // Most mutations break the text; some (inside strings, in discarded forms) do not.
  CHECK(errors > iterations / 2);
  CHECK(errors < iterations);
}

TEST_CASE("a large history reads with one line per op") {
  constexpr int ops = 100'000;
  std::string text = "[";
  for (int i = 0; i < ops; ++i) {
    text += "{:process " + std::to_string(i % 10) + ", :type " + (i % 20 < 10 ? ":invoke" : ":ok") +
            ", :f :write, :value " + std::to_string(i) + ", :time " + std::to_string(i * 1000) + "}\n";
  }
  text += "]";
  std::istringstream in(text);
  auto history = read_history(in, "big.edn", HistoryFormat::auto_detect);
  REQUIRE(history);
  REQUIRE(history->size() == ops);
  CHECK(history->line(ops - 1) == ops);
  CHECK((*history)[ops - 1].time_ns == (ops - 1) * 1000LL);
  CHECK((*history)[ops - 1].value == ops - 1);
}

}  // namespace
}  // namespace faultline
