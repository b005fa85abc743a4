#include "history_format.h"

#include <cctype>
#include <cerrno>
#include <fstream>
#include <cstring>

#include "edn_history.h"
#include "elle_json.h"
#include "jepsen_log.h"
#include "jsonl.h"

namespace faultline {

std::optional<HistoryFormat> parse_history_format(std::string_view name) {
  if (name == "auto") return HistoryFormat::auto_detect;
  if (name == "jsonl") return HistoryFormat::jsonl;
  if (name == "jepsen-log") return HistoryFormat::jepsen_log;
  if (name == "edn") return HistoryFormat::edn;
  if (name == "elle-json") return HistoryFormat::elle_json;
  return std::nullopt;
}

std::string_view to_string(HistoryFormat format) {
  switch (format) {
    case HistoryFormat::auto_detect: return "auto";
    case HistoryFormat::jsonl: return "jsonl";
    case HistoryFormat::jepsen_log: return "jepsen-log";
    case HistoryFormat::edn: return "edn";
    case HistoryFormat::elle_json: return "elle-json";
  }
  return "?";
}

std::optional<HistoryFormat> detect_history_format(std::string_view head) {
  // A UTF-8 byte order mark, as some editors write, says nothing about the format.
  std::size_t i = head.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  // Whitespace, commas and EDN comments (JSON Lines and Jepsen's log have no ';' lines).
  auto skip_space = [&] {
    while (i < head.size()) {
      if (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n' || head[i] == ',') {
        ++i;
      } else if (head[i] == ';') {
        while (i < head.size() && head[i] != '\n') ++i;
      } else {
        break;
      }
    }
  };
  skip_space();
  if (i >= head.size()) return std::nullopt;
  const char first = head[i];
  if (first == '[') {
    // elle-cli's JSON: an array of objects with string keys; EDN's vectors hold maps with keywords.
    ++i;
    skip_space();
    if (i < head.size() && head[i] == '{') {
      ++i;
      skip_space();
      if (i < head.size() && head[i] == '"') return HistoryFormat::elle_json;
    }
    return HistoryFormat::edn;
  }
  if (first == '(') return HistoryFormat::edn;
  // EDN's '#' starts a set, a discard or a tag (#{, #_, #inst); a Markdown heading is "# Title".
  if (first == '#') {
    const char next = i + 1 < head.size() ? head[i + 1] : ' ';
    if (next == '{' || next == '_' || std::isalpha(static_cast<unsigned char>(next))) return HistoryFormat::edn;
    return std::nullopt;
  }
  if (first == '{') {
    ++i;
    skip_space();
    if (i < head.size() && head[i] == ':') return HistoryFormat::edn;
    if (i < head.size() && head[i] == '"') return HistoryFormat::jsonl;
    return std::nullopt;
  }
  // Jepsen's log lines carry the logger's name and " - " before the process.
  std::string_view line = head.substr(i, head.find('\n', i) - i);
  if (line.find(" - ") != std::string_view::npos && line.find(":invoke") != std::string_view::npos)
    return HistoryFormat::jepsen_log;
  if (line.find("jepsen") != std::string_view::npos) return HistoryFormat::jepsen_log;
  return std::nullopt;
}

DetectedHistoryFormat detect_history_format(std::istream& in) {
  constexpr std::size_t detect_bytes_max = 4096;
  std::string head(detect_bytes_max, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  in.clear();
  in.seekg(0);
  return {detect_history_format(head), head.find_first_not_of(" \t\r\n") == std::string::npos};
}

Expected<History> read_history(std::istream& in, const std::string& source, HistoryFormat format) {
  if (format == HistoryFormat::auto_detect) {
    const DetectedHistoryFormat detected = detect_history_format(in);
    if (!detected.format && !detected.blank) {
      return std::unexpected(InputError{source, 1, "",
          "cannot tell the history's format (expected JSON Lines, Jepsen's text log, EDN or elle-cli's JSON); "
          "name it with --format"});
    }
    if (!in) return std::unexpected(InputError{source, 0, "", "cannot rewind the input to read it; name the format with --format"});
    format = detected.format.value_or(HistoryFormat::jsonl);
  }
  HistoryBuilder builder(source);
  OpSink sink = [&](Op op, std::int64_t line) { return builder.add(std::move(op), line); };
  Expected<void> read;
  switch (format) {
    case HistoryFormat::jsonl: read = read_jsonl(in, source, sink); break;
    case HistoryFormat::jepsen_log: read = read_jepsen_log(in, source, sink); break;
    case HistoryFormat::edn: read = read_edn_history(in, source, sink); break;
    case HistoryFormat::elle_json: read = read_elle_json(in, source, sink); break;
    case HistoryFormat::auto_detect: break;
  }
  if (!read) return std::unexpected(read.error());
  return std::move(builder).finish();
}

Expected<History> read_history_file(const std::string& path, HistoryFormat format) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::unexpected(InputError{path, 0, "", "cannot open the file: " + std::string(std::strerror(errno))});
  return read_history(file, path, format);
}

}  // namespace faultline
