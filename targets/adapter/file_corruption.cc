#include "file_corruption.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>

namespace faultline {
namespace {

using nlohmann::json;

// floor(fraction * count), kept below count (fractions are in [0, 1), but a recorded value may
// say 1.0 or more).
std::uint64_t scaled(double fraction, std::uint64_t count) {
  if (count == 0) return 0;
  const double at = std::floor(std::clamp(fraction, 0.0, 1.0) * static_cast<double>(count));
  return std::min<std::uint64_t>(static_cast<std::uint64_t>(at), count - 1);
}

bool fraction(const json& value) { return value.is_number() && value.get<double>() >= 0 && value.get<double>() < 1; }

std::string errno_text() { return std::strerror(errno); }

}  // namespace

json file_corruption_value(const FileCorruption& corruption) {
  json value = {{"file", corruption.file}};
  if (corruption.kind == FileCorruption::Kind::truncate) {
    value["truncate"] = corruption.keep;
    return value;
  }
  json flips = json::array();
  for (const auto& [where, bit] : corruption.flips) flips.push_back({where, bit});
  value["bitflip"] = flips;
  return value;
}

std::expected<FileCorruption, std::string> file_corruption_of(const json& value) {
  const char* shape = "a corruption is {\"file\": f, \"bitflip\": [[f, bit], ...]} or {\"file\": f, \"truncate\": f}, "
                      "f in [0, 1), bit 0..7";
  if (!value.is_object() || !fraction(value.value("file", json()))) return std::unexpected(shape);
  FileCorruption corruption;
  corruption.file = value["file"].get<double>();
  if (value.contains("truncate") && !value.contains("bitflip")) {
    if (!fraction(value["truncate"])) return std::unexpected(shape);
    corruption.kind = FileCorruption::Kind::truncate;
    corruption.keep = value["truncate"].get<double>();
    return corruption;
  }
  if (!value.contains("bitflip") || value.contains("truncate") || !value["bitflip"].is_array() || value["bitflip"].empty())
    return std::unexpected(shape);
  for (const json& flip : value["bitflip"]) {
    if (!flip.is_array() || flip.size() != 2 || !fraction(flip[0]) || !flip[1].is_number_integer() ||
        flip[1].get<int>() < 0 || flip[1].get<int>() > 7)
      return std::unexpected(shape);
    corruption.flips.emplace_back(flip[0].get<double>(), flip[1].get<int>());
  }
  return corruption;
}

std::optional<ResolvedCorruption> resolve_corruption(const FileCorruption& corruption, std::vector<DataFile> files) {
  std::erase_if(files, [](const DataFile& file) { return file.bytes == 0; });
  if (files.empty()) return std::nullopt;
  std::sort(files.begin(), files.end(), [](const DataFile& a, const DataFile& b) { return a.name < b.name; });
  const DataFile& chosen = files[scaled(corruption.file, files.size())];
  ResolvedCorruption resolved{chosen.name, chosen.bytes, {}, std::nullopt};
  if (corruption.kind == FileCorruption::Kind::truncate) {
    resolved.truncated_to = scaled(corruption.keep, chosen.bytes);  // below the size: at least a byte goes
    return resolved;
  }
  for (const auto& [where, bit] : corruption.flips) resolved.flips.emplace_back(scaled(where, chosen.bytes), bit);
  return resolved;
}

json resolved_corruption_value(const ResolvedCorruption& resolved) {
  json value = {{"path", resolved.file}, {"bytes", resolved.bytes_before}};
  if (resolved.truncated_to) {
    value["truncated_to"] = *resolved.truncated_to;
    return value;
  }
  json flips = json::array();
  for (const auto& [offset, bit] : resolved.flips) flips.push_back({offset, bit});
  value["flipped"] = flips;
  return value;
}

std::expected<json, std::string> corrupt_directory(const std::filesystem::path& directory,
                                                   const FileCorruption& corruption) {
  std::error_code ec;
  std::vector<DataFile> files;
  for (auto it = std::filesystem::recursive_directory_iterator(directory, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    files.push_back({std::filesystem::relative(it->path(), directory).string(), it->file_size(ec)});
  }
  if (ec) return std::unexpected("list " + directory.string() + ": " + ec.message());
  const auto resolved = resolve_corruption(corruption, files);
  if (!resolved) return json{{"files", 0}};
  const std::filesystem::path path = directory / resolved->file;
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return std::unexpected("open " + path.string() + ": " + errno_text());
  std::string failure;
  if (resolved->truncated_to) {
    if (::ftruncate(fd, static_cast<off_t>(*resolved->truncated_to)) != 0) failure = "truncate";
  } else {
    for (const auto& [offset, bit] : resolved->flips) {
      unsigned char byte = 0;
      if (::pread(fd, &byte, 1, static_cast<off_t>(offset)) != 1) { failure = "read"; break; }
      byte = static_cast<unsigned char>(byte ^ (1u << bit));
      if (::pwrite(fd, &byte, 1, static_cast<off_t>(offset)) != 1) { failure = "write"; break; }
    }
  }
  // Durable, so that a later power loss (faultline-lazyfs) keeps the damage.
  if (failure.empty() && ::fsync(fd) != 0) failure = "fsync";
  if (!failure.empty()) failure += " " + path.string() + ": " + errno_text();
  ::close(fd);
  if (!failure.empty()) return std::unexpected(failure);
  return resolved_corruption_value(*resolved);
}

}  // namespace faultline
