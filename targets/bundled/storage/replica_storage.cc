#include "replica_storage.h"

#include <string_view>

namespace faultline::storage {

std::expected<std::unique_ptr<ReplicaStorage>, std::string> ReplicaStorage::open(const std::filesystem::path& dir,
                                                                                const DurableLogOptions& options) {
  auto log = DurableLog::open(dir, file_name, options);
  if (!log) return std::unexpected(log.error());
  std::unique_ptr<ReplicaStorage> storage(new ReplicaStorage(std::move(*log)));
  const std::string file = (dir / file_name).string();
  for (const auto& [key, value] : storage->log_->recovered()) {
    if (key == reservation_key) {
      if (!value.is_number_integer()) return std::unexpected(file + ": the timestamp reservation is not a number");
      storage->recovered_.timestamp_reserved = value.get<std::int64_t>();
      continue;
    }
    const std::string_view prefix = record_prefix;
    const auto& ts = value.is_object() ? value.value("timestamp", nlohmann::json()) : nlohmann::json();
    if (!key.starts_with(prefix) || !value.contains("value") || !ts.is_array() || ts.size() != 2 ||
        !ts[0].is_number_integer() || !ts[1].is_number_unsigned())
      return std::unexpected(file + ": record '" + key + "' is not a replica record: " + value.dump() +
                             " (is this the data directory of a Paxos node?)");
    storage->recovered_.records[key.substr(prefix.size())] =
        quorum::Versioned{value["value"], quorum::Timestamp{ts[0].get<std::int64_t>(), ts[1].get<std::uint32_t>()}};
  }
  return storage;
}

std::uint64_t ReplicaStorage::append(const std::string& key, const quorum::Versioned& versioned) {
  return log_->append(record_prefix + key,
                      {{"value", versioned.value},
                       {"timestamp", nlohmann::json::array({versioned.timestamp.counter, versioned.timestamp.node})}});
}

}  // namespace faultline::storage
