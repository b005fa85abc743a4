// A corruption of a stopped node's data files (--nemesis corrupt; Jepsen's bitflip and
// truncate): the plan as the nemesis draws it from the run's seed (nemesis/corruption_planner.h),
// what it comes to on the files found, and the one function that does it.
//
// The plan names no file and no offset: the planner cannot see the disk. It holds fractions
// (which of the node's non-empty data files, in name order; where in that file; how much of it
// to keep), so the same plan does the same thing to the same files, and a replay (issue 21) of
// a recorded run cuts at the same places of its own files. resolve_corruption turns a plan and a
// listing into offsets (pure); corrupt_directory does it, fsyncs, and says what it did.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace faultline {

struct FileCorruption {
  enum class Kind { bitflip, truncate };
  Kind kind = Kind::bitflip;
  double file = 0;  // [0, 1): which of the non-empty files, in name order
  // bitflip: (where in the file [0, 1), which bit 0..7) for each flipped bit.
  std::vector<std::pair<double, int>> flips;
  double keep = 0;  // truncate: the share of the file kept, [0, 1), so at least one byte goes
  bool operator==(const FileCorruption&) const = default;
};

// {"bitflip": [[0.41, 3], ...], "file": 0.7} or {"truncate": 0.25, "file": 0.7}.
nlohmann::json file_corruption_value(const FileCorruption& corruption);
// The plan a value records; an error (for people) when it is none.
std::expected<FileCorruption, std::string> file_corruption_of(const nlohmann::json& value);

struct DataFile {
  std::string name;  // relative to the data directory
  std::uint64_t bytes = 0;
  bool operator==(const DataFile&) const = default;
};

// What a plan does to one listing: the file, and the bytes flipped or the length it is cut to.
struct ResolvedCorruption {
  std::string file;
  std::uint64_t bytes_before = 0;
  std::vector<std::pair<std::uint64_t, int>> flips;  // (byte offset, bit)
  std::optional<std::uint64_t> truncated_to;
  bool operator==(const ResolvedCorruption&) const = default;
};

// Pure. nullopt when no file has a byte to corrupt. `files` in any order.
std::optional<ResolvedCorruption> resolve_corruption(const FileCorruption& corruption, std::vector<DataFile> files);
nlohmann::json resolved_corruption_value(const ResolvedCorruption& resolved);

// Does `corruption` to the regular files under `directory` (the node must be stopped), fsyncs
// what it changed, and returns what it did (resolved_corruption_value; {"files": 0} when there
// was nothing to corrupt). Errors: the directory or a file could not be read or written.
std::expected<nlohmann::json, std::string> corrupt_directory(const std::filesystem::path& directory,
                                                             const FileCorruption& corruption);

}  // namespace faultline
