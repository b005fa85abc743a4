// The durable-length record of a DurableLog: a small file kept apart from the log
// (<log>.durable-length) that says how many bytes of the log were fsynced before any of its
// records was acknowledged. It is what tells a torn last write (bytes beyond it: never
// acknowledged, safe to drop) from acknowledged records that were lost (a log shorter than it,
// or damage before it: the node cannot show its state is complete and must not vote).
//
// Format, 16 bytes: "FLDL", the length (u64, little-endian), CRC-32C of the first 12 bytes.
// It is rewritten in place (one 16-byte pwrite inside the first sector) and fsynced after the
// log's own fsync and before the records' callers are told they are durable, so it never
// claims more than the log holds; a crash between the two fsyncs leaves it lower, which is
// safe (a lower bound). A damaged record (bad magic or checksum, wrong size) is never guessed
// at: the log it describes counts as incomplete.
#pragma once

#include <cstdint>
#include <expected>
#include <filesystem>
#include <string>

namespace faultline::storage {

inline constexpr std::size_t durable_length_record_bytes = 16;

std::string encode_durable_length(std::uint64_t length);
// The length, or what is wrong with the bytes (for people).
std::expected<std::uint64_t, std::string> decode_durable_length(const std::string& bytes);

// The companion file's path for a log at `log_path`.
std::filesystem::path durable_length_path(const std::filesystem::path& log_path);

}  // namespace faultline::storage
