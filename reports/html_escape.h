// Escaping for the report page (STYLE principle 11, step b): every value that comes from a
// history, a node or a checker passes through one of these before it reaches the page.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace faultline {

// Text for HTML element content and quoted attribute values: & < > " ' become entities.
std::string escape_html(std::string_view text);

// JSON safe to place inside <script>...</script>: only ASCII, and <, >, & and the line
// separators U+2028/U+2029 written as \u escapes, so that neither "</script>" nor "<!--"
// can appear. Invalid UTF-8 in strings is replaced, never an exception.
std::string json_for_script(const nlohmann::json& value);

}  // namespace faultline
