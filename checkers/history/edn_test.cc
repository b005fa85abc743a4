// The EDN reader: every construct histories use, and the exact message for each mistake.
#include <catch2/catch.hpp>

#include <sstream>

#include "edn.h"

namespace faultline {
namespace {

using nlohmann::json;

EdnValue parse(std::string_view text) {
  auto value = parse_edn(text, "t.edn");
  if (!value) FAIL(value.error().to_string());
  return *value;
}

json to_json(std::string_view text) { return edn_to_json(parse(text)); }

std::string error_of(std::string_view text) {
  auto value = parse_edn(text, "t.edn");
  return value ? "no error: " + edn_to_text(*value) : value.error().to_string();
}

TEST_CASE("edn scalars") {
  CHECK(parse("nil").kind == EdnKind::nil);
  CHECK(parse("true").boolean);
  CHECK_FALSE(parse("false").boolean);
  CHECK(parse("false").kind == EdnKind::boolean);
  CHECK(parse("0").integer == 0);
  CHECK(parse("-17").integer == -17);
  CHECK(parse("+5").integer == 5);
  CHECK(parse("42N").integer == 42);
  CHECK(parse("-9223372036854775808").integer == INT64_MIN);
  EdnValue big = parse("123456789012345678901234567890N");
  CHECK(big.kind == EdnKind::big_integer);
  CHECK(big.text == "123456789012345678901234567890");
  CHECK(edn_to_json(big) == "123456789012345678901234567890");
  CHECK(parse("1.5").floating == 1.5);
  CHECK(parse("-2.5e3").floating == -2500.0);
  CHECK(parse("1E2").floating == 100.0);
  CHECK(parse("3M").kind == EdnKind::floating);
  CHECK(parse("0.25M").floating == 0.25);
  CHECK(parse("##Inf").floating == std::numeric_limits<double>::infinity());
  CHECK(parse(":a").is_keyword("a"));
  CHECK(parse(":jepsen.history/op").is_keyword("jepsen.history/op"));
  CHECK(parse(":timed-out").is_keyword("timed-out"));
  CHECK(parse(":ok?").is_keyword("ok?"));
  CHECK(parse("foo").kind == EdnKind::symbol);
  CHECK(parse("clojure.core/+").text == "clojure.core/+");
  CHECK(parse("-").text == "-");
  CHECK(parse("/").text == "/");
  CHECK(parse("nil?").kind == EdnKind::symbol);
}

TEST_CASE("edn strings and their escapes") {
  CHECK(parse(R"("plain")").text == "plain");
  CHECK(parse(R"("a \"quoted\" \\ back\nline\ttab\r")").text == "a \"quoted\" \\ back\nline\ttab\r");
  CHECK(parse(R"("caf\u00e9 \u20AC")").text == "caf\xc3\xa9 \xe2\x82\xac");
  CHECK(parse(R"("\ud83d\ude00")").text == "\xf0\x9f\x98\x80");
  CHECK(parse(R"("[{(#_ ; not a comment )}]")").text == "[{(#_ ; not a comment )}]");
  CHECK(parse("\"two\nlines\"").text == "two\nlines");
  CHECK(parse("\"caf\xc3\xa9\"").text == "caf\xc3\xa9");
}

TEST_CASE("edn characters") {
  CHECK(parse("\\a").text == "a");
  CHECK(parse("\\newline").text == "\n");
  CHECK(parse("\\space").text == " ");
  CHECK(parse("\\tab").text == "\t");
  CHECK(parse("\\u00e9").text == "\xc3\xa9");
  CHECK(parse("\\\xc3\xa9").text == "\xc3\xa9");
  EdnValue brackets = parse("[\\( \\] \\;]");
  REQUIRE(brackets.items.size() == 3);
  CHECK(brackets.items[0].text == "(");
  CHECK(brackets.items[1].text == "]");
  CHECK(brackets.items[2].text == ";");
  CHECK(to_json("[\\a \\b]") == json({"a", "b"}));
}

TEST_CASE("edn collections") {
  EdnValue vector = parse("[1 [2 3] () #{} {}]");
  CHECK(vector.kind == EdnKind::vector);
  REQUIRE(vector.items.size() == 5);
  CHECK(vector.items[1].items.size() == 2);
  CHECK(vector.items[2].kind == EdnKind::list);
  CHECK(vector.items[3].kind == EdnKind::set);
  CHECK(vector.items[4].kind == EdnKind::map);
  CHECK(parse("(a b c)").items.size() == 3);
  CHECK(parse("#{1 2 3}").items.size() == 3);
  EdnValue map = parse("{:b 2, :a 1,,, :c [1 2]}");
  REQUIRE(map.items.size() == 6);
  CHECK(map.items[0].is_keyword("b"));
  CHECK(to_json("{:b 2, :a 1,,, :c [1 2]}") == json({{"a", 1}, {"b", 2}, {"c", {1, 2}}}));
}

TEST_CASE("edn values as json") {
  CHECK(to_json("nil").is_null());
  CHECK(to_json(":timed-out") == "timed-out");
  CHECK(to_json("[1 [2 nil] :k \"s\" sym true 2.5]") == json::parse(R"([1,[2,null],"k","s","sym",true,2.5])"));
  CHECK(to_json("#{3}") == json({3}));
  CHECK(to_json("(1 2)") == json({1, 2}));
  CHECK(to_json("{1 :a, \"s\" 2, :k 3, nil 4, [1 2] 5}") ==
        json({{"1", "a"}, {"s", 2}, {"k", 3}, {"nil", 4}, {"[1 2]", 5}}));
  CHECK(to_json("#inst \"2024-05-01T10:00:00.000-00:00\"") == "2024-05-01T10:00:00.000-00:00");
  CHECK(to_json("#uuid \"f81d4fae-7dec-11d0-a765-00a0c91e6bf6\"") == "f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
  EdnValue tagged = parse("#my.app/point [1 2]");
  CHECK(tagged.kind == EdnKind::tagged);
  CHECK(tagged.text == "my.app/point");
  CHECK(edn_to_json(tagged) == json({1, 2}));
}

TEST_CASE("edn comments, discards and whitespace") {
  CHECK(to_json("; a comment\n[1 ; another ]\n 2]") == json({1, 2}));
  CHECK(to_json("[1 #_ 2 3]") == json({1, 3}));
  CHECK(to_json("[1 #_ #_ 2 3 4]") == json({1, 4}));
  CHECK(to_json("[#_{:a [1 2]} 5]") == json({5}));
  CHECK(to_json("#_ ignored [7]") == json({7}));
  CHECK(to_json(",,[1,2,3],,") == json({1, 2, 3}));
  CHECK(to_json("{:process 1\n :type :ok\r\n :f :read}") == json({{"process", 1}, {"type", "ok"}, {"f", "read"}}));
}

TEST_CASE("edn values remember where they start") {
  EdnValue value = parse("[1\n  {:a\n   2}\n \"x\"]");
  CHECK(value.line == 1);
  CHECK(value.column == 1);
  CHECK(value.items[1].line == 2);
  CHECK(value.items[1].column == 3);
  CHECK(value.items[1].items[1].line == 3);
  CHECK(value.items[2].line == 4);
  CHECK(value.items[2].column == 2);
}

TEST_CASE("edn_to_text writes edn back, cut to a length") {
  const std::string text = "[nil true -3 12 1.5 2.0 \"a\\\"b\" \\a :k/w sym (1) #{2} {:a 1, :b 2} #inst \"x\"]";
  CHECK(edn_to_text(parse(text), 1000) == text);
  CHECK(edn_to_text(parse("[1 2 3 4 5 6 7 8 9]"), 6) == "[1 2 3...");
}

TEST_CASE("the reader streams the elements of a top-level vector") {
  std::istringstream in("; history\n[{:process 0}\n {:process 1}\n\n {:process\n  2}]\n");
  EdnReader reader(in, "h.edn");
  std::vector<std::int64_t> lines;
  for (;;) {
    auto element = reader.next_element();
    REQUIRE(element);
    if (!*element) break;
    CHECK((*element)->kind == EdnKind::map);
    lines.push_back((*element)->line);
  }
  CHECK(lines == std::vector<std::int64_t>{2, 3, 5});
}

TEST_CASE("the reader streams top-level maps one after another, and lists") {
  EdnReader maps("{:index 0}\n{:index 1}\n#_{:index 9}\n{:index 2}", "h.edn");
  EdnReader list("({:index 0} {:index 1})\n({:index 2})", "h.edn");
  for (EdnReader* reader : {&maps, &list}) {
    std::vector<std::int64_t> indexes;
    for (;;) {
      auto element = reader->next_element();
      REQUIRE(element);
      if (!*element) break;
      indexes.push_back((*element)->items.at(1).integer);
    }
    CHECK(indexes == std::vector<std::int64_t>{0, 1, 2});
  }
  EdnReader empty("  [ ] ; nothing", "h.edn");
  auto element = empty.next_element();
  REQUIRE(element);
  CHECK_FALSE(*element);
}

TEST_CASE("next_form does not enter the top-level vector") {
  EdnReader reader("[1 2] [3]", "h.edn");
  auto first = reader.next_form();
  REQUIRE(first);
  CHECK((*first)->items.size() == 2);
}

TEST_CASE("malformed edn says where and what") {
  CHECK(error_of("") == "t.edn:1: column 1: expected a value, got the end of the input");
  CHECK(error_of("\"abc") == "t.edn:1: column 1: the string is never closed (the input ends at line 1)");
  CHECK(error_of("[1\n \"ab]\n") == "t.edn:2: column 2: the string is never closed (the input ends at line 3)");
  CHECK(error_of("[1 2") == "t.edn:1: column 1: the vector is never closed (the input ends at line 1)");
  CHECK(error_of("(1 2") == "t.edn:1: column 1: the list is never closed (the input ends at line 1)");
  CHECK(error_of("x #{1") == "t.edn:1: column 3: the set is never closed (the input ends at line 1)");
  CHECK(error_of("{:a 1\n :b 2") == "t.edn:1: column 1: the map is never closed (the input ends at line 2)");
  CHECK(error_of("{:a 1 :b}") == "t.edn:1: column 1: the map has a key without a value (3 forms)");
  CHECK(error_of("\"a\\qb\"") ==
        "t.edn:1: column 3: unknown escape '\\q' in a string (expected one of \\\" \\\\ \\n \\t \\r \\b \\f \\uXXXX)");
  CHECK(error_of("\"\\u12\"") == "t.edn:1: column 2: '\\u' must be followed by 4 hex digits, got '12'");
  CHECK(error_of("\"\\ud83d\"") == "t.edn:1: column 2: '\\ud83d' is half of a surrogate pair without its other half");
  CHECK(error_of("]") == "t.edn:1: column 1: unexpected ']' with nothing open to close");
  CHECK(error_of("[1 2}") == "t.edn:1: column 5: expected ']' to close the vector opened at line 1, column 1, got '}'");
  CHECK(error_of("{:a [1 2)}") == "t.edn:1: column 9: expected ']' to close the vector opened at line 1, column 5, got ')'");
  CHECK(error_of("1 2") == "t.edn:1: column 3: expected the end of the input after one value, got 2");
  CHECK(error_of("[1 #_]") == "t.edn:1: column 4: '#_' has no form after it to discard");
  CHECK(error_of("#inst") == "t.edn:1: column 1: the tag '#inst' has no value after it");
  CHECK(error_of("#?(:clj 1)") == "t.edn:1: column 1: '#' must be followed by '{', '_' or a tag such as #inst, got '?'");
  CHECK(error_of("##Infinity") == "t.edn:1: column 1: unknown symbolic value '##Infinity' (expected ##Inf, ##-Inf or ##NaN)");
  CHECK(error_of("0x10") == "t.edn:1: column 1: invalid number '0x10'");
  CHECK(error_of("1/2") == "t.edn:1: column 1: invalid number '1/2'");
  CHECK(error_of("[007]") == "t.edn:1: column 2: invalid number '007' (EDN numbers have no leading zeros)");
  CHECK(error_of("1e") == "t.edn:1: column 1: invalid number '1e' (the exponent has no digits)");
  CHECK(error_of(":") == "t.edn:1: column 1: a keyword needs a name after ':'");
  CHECK(error_of("::local") == "t.edn:1: column 1: '::local': auto-resolved keywords are not EDN");
  CHECK(error_of("ns/") == "t.edn:1: column 1: 'ns/' has a namespace but no name after '/'");
  CHECK(error_of("[a\\b]") == "t.edn:1: column 2: invalid character '\\' in 'a\\b'");
  CHECK(error_of("@deref") == "t.edn:1: column 1: expected a value, got '@'");
  CHECK(error_of("\\") == "t.edn:1: column 1: a character literal needs a character after '\\'");
  CHECK(error_of("\\bell") == "t.edn:1: column 1: unknown character literal '\\bell'");
  CHECK(error_of(std::string("[1 \x01]")) == "t.edn:1: column 4: expected a value, got byte 1");
}

TEST_CASE("a byte order mark at the start is skipped, in text and in a stream") {
  CHECK(parse("\xEF\xBB\xBF[1]").items.size() == 1);
  CHECK(parse("\xEF\xBB\xBF[1]").column == 1);
  std::istringstream in("\xEF\xBB\xBF:k");
  EdnReader reader(in, "bom.edn", 2);
  auto element = reader.next_element();
  REQUIRE(element);
  REQUIRE(*element);
  CHECK((*element)->is_keyword("k"));
}

TEST_CASE("nesting deeper than edn_nesting_depth_max is an error, not a crash") {
  auto nested = [](int depth) { return std::string(depth, '[') + "1" + std::string(depth, ']'); };
  CHECK(error_of(nested(edn_nesting_depth_max)).starts_with("no error"));
  CHECK(error_of(nested(edn_nesting_depth_max + 1)) ==
        "t.edn:1: column 130: a value nested in more than 128 collections (edn_nesting_depth_max)");
  CHECK(error_of(std::string(1'000'000, '[')) ==
        "t.edn:1: column 130: a value nested in more than 128 collections (edn_nesting_depth_max)");
  CHECK(error_of(std::string(1'000'000, '{')).ends_with("(edn_nesting_depth_max)"));
  std::string tags;
  for (int i = 0; i < 100'000; ++i) tags += "#a ";
  CHECK(error_of(tags).ends_with("(edn_nesting_depth_max)"));
  std::string discards;
  for (int i = 0; i < 100'000; ++i) discards += "#_";
  CHECK(error_of(discards).ends_with("(edn_nesting_depth_max)"));
  static_assert(edn_nesting_depth_max == 128, "the messages above spell out the limit");
}

TEST_CASE("a stream read in chunks gives the same values as text") {
  // Longer than the reader's 64 KiB chunk, with strings and two-character forms across its edges.
  std::string text = "[";
  for (int i = 0; i < 20'000; ++i) text += "#_ x #{\"s\\\"" + std::to_string(i) + "\" :k" + std::to_string(i) + "} ";
  text += "]";
  std::istringstream in(text);
  EdnReader streamed(in, "big.edn");
  static_assert(edn_read_chunk_bytes < 600'000, "the text must span several chunks");
  EdnReader whole(std::string_view(text), "big.edn");
  int count = 0;
  for (;;) {
    auto a = streamed.next_element();
    auto b = whole.next_element();
    REQUIRE(a);
    REQUIRE(b);
    REQUIRE(a->has_value() == b->has_value());
    if (!*a) break;
    REQUIRE(edn_to_json(**a) == edn_to_json(**b));
    REQUIRE((*a)->column == (*b)->column);
    ++count;
  }
  CHECK(count == 20'000);
}

}  // namespace
// Found by fuzz/history_fuzz: a value that is not UTF-8 reached the checker, which cannot
// write it as JSON, and aborted. The reader refuses it with its line and column.
TEST_CASE("text that is not UTF-8 is an error with its line and column, in strings and symbols") {
  CHECK(error_of("[1\n \xfc" "2]") == "t.edn:2: column 2: '...' is not UTF-8 text");
  CHECK(error_of("[1 ab\xc3(]").find("t.edn:1: column 4: 'ab...' is not UTF-8 text") == 0);
  CHECK(error_of("\"caf\xe9\"") == "t.edn:1: column 1: the string is not UTF-8 text (byte 4 of it)");
  CHECK(error_of("\"\xed\xa0\x80\"").find("is not UTF-8 text") != std::string::npos);  // a surrogate
  CHECK(parse("\"\xf0\x9f\x98\x80 caf\xc3\xa9\"").text == "\xf0\x9f\x98\x80 caf\xc3\xa9");
  CHECK(parse("caf\xc3\xa9").text == "caf\xc3\xa9");
}

}  // namespace faultline
