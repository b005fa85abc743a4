#include <catch2/catch.hpp>

#include "html_escape.h"

namespace faultline {
namespace {

TEST_CASE("escape_html turns markup into text") {
  CHECK(escape_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(escape_html("a & \"b\" 'c'") == "a &amp; &quot;b&quot; &#39;c&#39;");
  CHECK(escape_html("plain") == "plain");
  CHECK(escape_html("a\u2028b\u2029c é") == "a&#x2028;b&#x2029;c é");
}

TEST_CASE("json_for_script cannot close the script element or open a comment") {
  const nlohmann::json value = {{"v", "</script><!-- \u2028 \u2029 & é"}, {"<key>", 1}};
  const std::string text = json_for_script(value);
  CHECK(text.find("</") == std::string::npos);
  CHECK(text.find("<!--") == std::string::npos);
  CHECK(text.find('<') == std::string::npos);
  CHECK(text.find('>') == std::string::npos);
  CHECK(text.find("\xE2\x80\xA8") == std::string::npos);
  CHECK(text.find("\xE2\x80\xA9") == std::string::npos);
  CHECK(nlohmann::json::parse(text) == value);  // still the same JSON
}

TEST_CASE("json_for_script replaces invalid UTF-8 instead of throwing") {
  const nlohmann::json value = std::string("bad \xFF byte");
  CHECK_NOTHROW(json_for_script(value));
}

}  // namespace
}  // namespace faultline
