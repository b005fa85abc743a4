#include "acceptor_storage.h"

namespace faultline::storage {
namespace {

constexpr const char* reservation_key = "ballots";
constexpr const char* record_prefix = "key:";

nlohmann::json encode_ballot(const paxos::Ballot& ballot) { return nlohmann::json::array({ballot.counter, ballot.node}); }

std::optional<paxos::Ballot> decode_ballot(const nlohmann::json& json) {
  if (!json.is_array() || json.size() != 2 || !json[0].is_number_unsigned() || !json[1].is_number_unsigned())
    return std::nullopt;
  return paxos::Ballot{json[0].get<std::uint64_t>(), json[1].get<std::uint32_t>()};
}

}  // namespace

nlohmann::json encode_acceptor_record(const paxos::AcceptorRecord& record) {
  return {{"promised", encode_ballot(record.promised)}, {"accepted", encode_ballot(record.accepted)}, {"value", record.value}};
}

std::optional<paxos::AcceptorRecord> decode_acceptor_record(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("value")) return std::nullopt;
  auto promised = decode_ballot(json.value("promised", nlohmann::json()));
  auto accepted = decode_ballot(json.value("accepted", nlohmann::json()));
  if (!promised || !accepted) return std::nullopt;
  return paxos::AcceptorRecord{*promised, *accepted, json["value"]};
}

std::expected<std::unique_ptr<AcceptorStorage>, std::string> AcceptorStorage::open(const std::filesystem::path& dir,
                                                                                    const DurableLogOptions& options) {
  auto log = DurableLog::open(dir, file_name, options);
  if (!log) return std::unexpected(log.error());
  std::unique_ptr<AcceptorStorage> storage(new AcceptorStorage(std::move(*log)));
  for (const auto& [key, value] : storage->log_->recovered()) {
    if (key == reservation_key) {
      if (!value.is_number_unsigned())
        return std::unexpected((dir / file_name).string() + ": the ballot reservation is not a number: " + value.dump());
      storage->recovered_.ballot_reserved = value.get<std::uint64_t>();
    } else if (key.starts_with(record_prefix)) {
      auto record = decode_acceptor_record(value);
      if (!record)
        return std::unexpected((dir / file_name).string() + ": the record of key '" + key.substr(std::string_view(record_prefix).size()) +
                               "' is not an acceptor record: " + value.dump());
      storage->recovered_.records[key.substr(std::string_view(record_prefix).size())] = *record;
    } else {
      return std::unexpected((dir / file_name).string() + ": unknown record '" + key +
                             "' (is this the data directory of a quorum node?)");
    }
  }
  return storage;
}

std::uint64_t AcceptorStorage::append(const std::string& key, const paxos::AcceptorRecord& record) {
  return log_->append(record_prefix + key, encode_acceptor_record(record));
}

void AcceptorStorage::persist_ballot_reservation(std::uint64_t reserved) { log_->put(reservation_key, reserved); }

}  // namespace faultline::storage
