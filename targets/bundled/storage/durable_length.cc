#include "durable_length.h"

#include "crc32c.h"

namespace faultline::storage {
namespace {

constexpr std::string_view magic = "FLDL";

}  // namespace

std::string encode_durable_length(std::uint64_t length) {
  std::string out(magic);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((length >> (8 * i)) & 0xFFu));
  const std::uint32_t crc = crc32c(out);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((crc >> (8 * i)) & 0xFFu));
  return out;
}

std::expected<std::uint64_t, std::string> decode_durable_length(const std::string& bytes) {
  if (bytes.size() != durable_length_record_bytes)
    return std::unexpected("it is " + std::to_string(bytes.size()) + " bytes, not " +
                           std::to_string(durable_length_record_bytes));
  if (bytes.compare(0, magic.size(), magic) != 0) return std::unexpected("it does not begin with FLDL");
  std::uint32_t crc = 0;
  for (int i = 0; i < 4; ++i) crc |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[12 + i])) << (8 * i);
  if (crc32c(std::string_view(bytes).substr(0, 12)) != crc) return std::unexpected("its checksum does not match");
  std::uint64_t length = 0;
  for (int i = 0; i < 8; ++i) length |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[4 + i])) << (8 * i);
  return length;
}

std::filesystem::path durable_length_path(const std::filesystem::path& log_path) {
  return log_path.string() + ".durable-length";
}

}  // namespace faultline::storage
