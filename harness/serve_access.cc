#include "serve_access.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <system_error>

namespace faultline {
namespace {

namespace fs = std::filesystem;

bool is_inside(const fs::path& root, const fs::path& path) {
  auto [root_end, path_at] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return root_end == root.end();
}

}  // namespace

std::expected<fs::path, RefusedPath> resolve_store_file(const fs::path& canonical_store, std::string_view request_path) {
  if (request_path.empty() || request_path.front() != '/') return std::unexpected(RefusedPath{400, "the path must start with /"});
  fs::path candidate = canonical_store;
  std::string_view rest = request_path.substr(1);
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() && slash == std::string_view::npos && candidate != canonical_store) {
      candidate /= "report.html";  // a run directory named with a trailing slash: its report
      break;
    }
    if (segment.empty() || segment.front() == '.')
      return std::unexpected(RefusedPath{400, "empty, '.', '..' and hidden path segments are refused"});
    if (segment.find('\\') != std::string_view::npos || segment.find('\0') != std::string_view::npos)
      return std::unexpected(RefusedPath{400, "backslashes and NUL bytes are refused in paths"});
    candidate /= std::string(segment);
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  std::error_code error;
  const fs::path real = fs::canonical(candidate, error);
  if (error) return std::unexpected(RefusedPath{404, "no such file in the store"});
  if (!is_inside(canonical_store, real)) return std::unexpected(RefusedPath{403, "the path leads out of the store"});
  if (!fs::is_regular_file(real, error)) return std::unexpected(RefusedPath{404, "not a file"});
  return real;
}

bool is_loopback_host(std::string_view host) {
  std::string text(host);
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

bool host_header_is_loopback(std::string_view host_header) {
  std::string_view host = host_header;
  if (host.starts_with('[')) {  // [::1]:8080
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return false;
    const std::string_view after = host.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return false;
    host = host.substr(1, close - 1);
  } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  return is_loopback_host(host);
}

std::string content_type_of(const fs::path& file) {
  const std::string extension = file.extension().string();
  if (extension == ".html") return "text/html; charset=utf-8";
  if (extension == ".json" || extension == ".jsonl" || extension == ".log" || extension == ".txt" || extension == ".edn")
    return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace faultline
