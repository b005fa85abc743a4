#include "wire.h"

namespace faultline::node {
namespace {

using nlohmann::json;

json pair(std::uint64_t counter, std::uint32_t node) { return json::array({counter, node}); }

bool natural(const json& j) { return j.is_number_unsigned() || (j.is_number_integer() && j.get<std::int64_t>() >= 0); }

// Reads the fields of one message, remembering the first one that is wrong.
class Fields {
 public:
  explicit Fields(const json& j) : json_(j) {
    if (!j.is_object()) error_ = "expected a JSON object";
  }
  std::string string(const char* name) {
    if (!error_.empty()) return {};
    auto it = json_.find(name);
    if (it == json_.end() || !it->is_string()) return fail(name, "a string"), std::string();
    return it->get<std::string>();
  }
  bool boolean(const char* name) {
    if (!error_.empty()) return false;
    auto it = json_.find(name);
    if (it == json_.end() || !it->is_boolean()) return fail(name, "true or false"), false;
    return it->get<bool>();
  }
  json value(const char* name) {
    if (!error_.empty()) return nullptr;
    auto it = json_.find(name);
    if (it == json_.end()) return fail(name, "a JSON value"), json();
    return *it;
  }
  // [counter, node], both non-negative integers.
  std::pair<std::uint64_t, std::uint32_t> pair_of(const char* name) {
    if (!error_.empty()) return {};
    auto it = json_.find(name);
    if (it == json_.end() || !it->is_array() || it->size() != 2 || !natural((*it)[0]) || !natural((*it)[1]) ||
        (*it)[1].get<std::uint64_t>() > UINT32_MAX)
      return fail(name, "[counter, node]"), std::pair<std::uint64_t, std::uint32_t>{};
    return {(*it)[0].get<std::uint64_t>(), (*it)[1].get<std::uint32_t>()};
  }
  paxos::Ballot ballot(const char* name) {
    auto [counter, node] = pair_of(name);
    return paxos::Ballot{counter, node};
  }
  quorum::Timestamp timestamp(const char* name) {
    auto [counter, node] = pair_of(name);
    return quorum::Timestamp{static_cast<std::int64_t>(counter), node};
  }
  const std::string& error() const { return error_; }

 private:
  void fail(const char* name, const char* expected) { error_ = std::string("field '") + name + "': expected " + expected; }
  const json& json_;
  std::string error_;
};

template <typename T>
std::expected<T, std::string> checked(const Fields& fields, T value) {
  if (!fields.error().empty()) return std::unexpected(fields.error());
  return value;
}

}  // namespace

json encode(const paxos::AcceptorRequest& request) {
  if (const auto* prepare = std::get_if<paxos::Prepare>(&request))
    return {{"type", "prepare"}, {"key", prepare->key}, {"ballot", pair(prepare->ballot.counter, prepare->ballot.node)}};
  if (const auto* confirm = std::get_if<paxos::Confirm>(&request))
    return {{"type", "confirm"}, {"key", confirm->key}, {"ballot", pair(confirm->ballot.counter, confirm->ballot.node)}};
  const auto& accept = std::get<paxos::Accept>(request);
  json encoded = {{"type", "accept"}, {"key", accept.key}, {"ballot", pair(accept.ballot.counter, accept.ballot.node)},
                  {"value", accept.value}};
  if (!accept.next.is_zero()) encoded["next"] = pair(accept.next.counter, accept.next.node);
  return encoded;
}

json encode(const paxos::AcceptorReply& reply) {
  if (const auto* promise = std::get_if<paxos::Promise>(&reply))
    return {{"type", "promise"},
            {"key", promise->key},
            {"ballot", pair(promise->ballot.counter, promise->ballot.node)},
            {"ok", promise->ok},
            {"promised", pair(promise->promised.counter, promise->promised.node)},
            {"accepted", pair(promise->accepted.counter, promise->accepted.node)},
            {"value", promise->value}};
  if (const auto* confirmed = std::get_if<paxos::Confirmed>(&reply))
    return {{"type", "confirmed"},
            {"key", confirmed->key},
            {"ballot", pair(confirmed->ballot.counter, confirmed->ballot.node)},
            {"ok", confirmed->ok},
            {"promised", pair(confirmed->promised.counter, confirmed->promised.node)}};
  const auto& accepted = std::get<paxos::Accepted>(reply);
  return {{"type", "accepted"},
          {"key", accepted.key},
          {"ballot", pair(accepted.ballot.counter, accepted.ballot.node)},
          {"ok", accepted.ok},
          {"promised", pair(accepted.promised.counter, accepted.promised.node)},
          {"accepted", pair(accepted.accepted.counter, accepted.accepted.node)}};
}

json encode(const quorum::ReplicaRequest& request) {
  if (const auto* read = std::get_if<quorum::ReadRequest>(&request)) return {{"type", "read"}, {"key", read->key}};
  const auto& write = std::get<quorum::WriteRequest>(request);
  const auto& ts = write.versioned.timestamp;
  return {{"type", "write"}, {"key", write.key}, {"value", write.versioned.value},
          {"timestamp", pair(static_cast<std::uint64_t>(ts.counter), ts.node)}};
}

json encode(const quorum::ReplicaReply& reply) {
  if (const auto* read = std::get_if<quorum::ReadReply>(&reply)) {
    const auto& ts = read->versioned.timestamp;
    return {{"type", "read"}, {"key", read->key}, {"value", read->versioned.value},
            {"timestamp", pair(static_cast<std::uint64_t>(ts.counter), ts.node)}};
  }
  const auto& ack = std::get<quorum::WriteAck>(reply);
  return {{"type", "ack"}, {"key", ack.key},
          {"timestamp", pair(static_cast<std::uint64_t>(ack.timestamp.counter), ack.timestamp.node)}};
}

json encode(const ForwardedOperation& operation) {
  const paxos::RegisterCommand& command = operation.command;
  switch (command.kind) {
    case paxos::RegisterCommand::Kind::read: return {{"key", operation.key}, {"f", "read"}};
    case paxos::RegisterCommand::Kind::write: return {{"key", operation.key}, {"f", "write"}, {"value", command.value}};
    case paxos::RegisterCommand::Kind::cas:
      return {{"key", operation.key}, {"f", "cas"}, {"from", command.from}, {"to", command.to}};
    case paxos::RegisterCommand::Kind::txn: return {{"key", operation.key}, {"f", "txn"}, {"value", command.value}};
  }
  return nullptr;
}

json encode(const OperationResult& result) {
  switch (result.status) {
    case OperationResult::Status::ok: return {{"status", "ok"}, {"value", result.value}};
    case OperationResult::Status::cas_mismatch: return {{"status", "cas-mismatch"}};
    case OperationResult::Status::failed:
      return {{"status", "failed"}, {"definite", result.definite}, {"error", result.error}};
  }
  return nullptr;
}

std::expected<paxos::AcceptorRequest, std::string> decode_acceptor_request(const json& j) {
  Fields f(j);
  const std::string type = f.string("type");
  if (type == "prepare") {
    paxos::Prepare prepare{f.string("key"), f.ballot("ballot")};
    return checked<paxos::AcceptorRequest>(f, prepare);
  }
  if (type == "accept") {
    paxos::Accept accept{f.string("key"), f.ballot("ballot"), f.value("value"),
                         j.is_object() && j.contains("next") ? f.ballot("next") : paxos::Ballot{}};
    return checked<paxos::AcceptorRequest>(f, accept);
  }
  if (type == "confirm") return checked<paxos::AcceptorRequest>(f, paxos::Confirm{f.string("key"), f.ballot("ballot")});
  if (!f.error().empty()) return std::unexpected(f.error());
  return std::unexpected("field 'type': expected prepare, accept or confirm, got '" + type + "'");
}

std::expected<paxos::AcceptorReply, std::string> decode_acceptor_reply(const json& j) {
  Fields f(j);
  const std::string type = f.string("type");
  if (type == "promise") {
    paxos::Promise promise{f.string("key"), f.ballot("ballot"), f.boolean("ok"), f.ballot("promised"),
                           f.ballot("accepted"), f.value("value")};
    return checked<paxos::AcceptorReply>(f, promise);
  }
  if (type == "accepted") {
    paxos::Accepted accepted{f.string("key"), f.ballot("ballot"), f.boolean("ok"), f.ballot("promised"),
                             // Absent: nothing is proven (the highest ballot there is).
                             j.is_object() && j.contains("accepted")
                                 ? f.ballot("accepted")
                                 : paxos::Ballot{UINT64_MAX, UINT32_MAX}};
    return checked<paxos::AcceptorReply>(f, accepted);
  }
  if (type == "confirmed") {
    paxos::Confirmed confirmed{f.string("key"), f.ballot("ballot"), f.boolean("ok"), f.ballot("promised")};
    return checked<paxos::AcceptorReply>(f, confirmed);
  }
  if (!f.error().empty()) return std::unexpected(f.error());
  return std::unexpected("field 'type': expected promise, accepted or confirmed, got '" + type + "'");
}

std::expected<quorum::ReplicaRequest, std::string> decode_replica_request(const json& j) {
  Fields f(j);
  const std::string type = f.string("type");
  if (type == "read") return checked<quorum::ReplicaRequest>(f, quorum::ReadRequest{f.string("key")});
  if (type == "write") {
    quorum::WriteRequest write{f.string("key"), quorum::Versioned{f.value("value"), f.timestamp("timestamp")}};
    return checked<quorum::ReplicaRequest>(f, write);
  }
  if (!f.error().empty()) return std::unexpected(f.error());
  return std::unexpected("field 'type': expected read or write, got '" + type + "'");
}

std::expected<quorum::ReplicaReply, std::string> decode_replica_reply(const json& j) {
  Fields f(j);
  const std::string type = f.string("type");
  if (type == "read") {
    quorum::ReadReply read{f.string("key"), quorum::Versioned{f.value("value"), f.timestamp("timestamp")}};
    return checked<quorum::ReplicaReply>(f, read);
  }
  if (type == "ack") return checked<quorum::ReplicaReply>(f, quorum::WriteAck{f.string("key"), f.timestamp("timestamp")});
  if (!f.error().empty()) return std::unexpected(f.error());
  return std::unexpected("field 'type': expected read or ack, got '" + type + "'");
}

std::expected<ForwardedOperation, std::string> decode_forwarded_operation(const json& j) {
  Fields f(j);
  ForwardedOperation operation;
  operation.key = f.string("key");
  const std::string kind = f.string("f");
  if (kind == "read") {
    operation.command.kind = paxos::RegisterCommand::Kind::read;
  } else if (kind == "write") {
    operation.command.kind = paxos::RegisterCommand::Kind::write;
    operation.command.value = f.value("value");
  } else if (kind == "cas") {
    operation.command.kind = paxos::RegisterCommand::Kind::cas;
    operation.command.from = f.value("from");
    operation.command.to = f.value("to");
  } else if (kind == "txn") {
    operation.command.kind = paxos::RegisterCommand::Kind::txn;
    operation.command.value = f.value("value");
    if (f.error().empty()) {
      if (auto bad = paxos::txn_micro_ops_error(operation.command.value)) return std::unexpected("field 'value': " + *bad);
    }
  } else if (f.error().empty()) {
    return std::unexpected("field 'f': expected read, write, cas or txn, got '" + kind + "'");
  }
  return checked(f, operation);
}

std::expected<OperationResult, std::string> decode_operation_result(const json& j) {
  Fields f(j);
  OperationResult result;
  const std::string status = f.string("status");
  if (status == "ok") {
    result.status = OperationResult::Status::ok;
    result.value = f.value("value");
    result.definite = true;
  } else if (status == "cas-mismatch") {
    result.status = OperationResult::Status::cas_mismatch;
    result.definite = true;
  } else if (status == "failed") {
    result.status = OperationResult::Status::failed;
    result.definite = f.boolean("definite");
    result.error = f.string("error");
  } else if (f.error().empty()) {
    return std::unexpected("field 'status': expected ok, cas-mismatch or failed, got '" + status + "'");
  }
  return checked(f, result);
}

}  // namespace faultline::node
