// What `faultline serve` lets a request see: files of the store and nothing else, and (when
// it listens on loopback) only requests addressed to a loopback name. Pure but for the file
// system lookups of resolve_store_file.
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>

namespace faultline {

// Why a request path was refused: the HTTP status to answer and a message for the client.
struct RefusedPath {
  int http_status;  // 400 malformed, 403 leaves the store, 404 no such file
  std::string reason;
};

// The regular file of the store that `request_path` (percent-decoded, starting with "/")
// names. Refused: empty, "." or ".." segments and segments starting with "." (hidden files),
// backslashes and NUL bytes (400); a path whose real location, links resolved, is outside
// `canonical_store` (403); anything that is not an existing regular file (404). Links inside
// the store, like <name>/latest, are followed.
std::expected<std::filesystem::path, RefusedPath> resolve_store_file(const std::filesystem::path& canonical_store,
                                                                     std::string_view request_path);

// True for a loopback address or name: 127.0.0.0/8, ::1, "localhost".
bool is_loopback_host(std::string_view host);

// True when a request's Host header names a loopback host ("127.0.0.1:8080", "[::1]:8080",
// "localhost:8080"). A server on loopback refuses other Host headers, so that a web page
// whose name was re-bound to 127.0.0.1 (DNS rebinding) cannot read the store.
bool host_header_is_loopback(std::string_view host_header);

// The content type a file of the store is served with: report pages as HTML, histories,
// JSON and logs as UTF-8 text (shown in the browser, never sniffed), anything else as bytes.
std::string content_type_of(const std::filesystem::path& file);

}  // namespace faultline
