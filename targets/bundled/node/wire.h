// The node-to-node messages as JSON (POST /internal/paxos, POST /internal/quorum, and client
// operations a node forwards to its leader on POST /internal/forward). Pure
// conversions; a decode error says which field is wrong.
#pragma once

#include <expected>
#include <string>

#include <nlohmann/json.hpp>

#include "../paxos/messages.h"
#include "../quorum/versioned.h"
#include "kv_service.h"

namespace faultline::node {

// A client operation that a node hands to its leader to propose.
struct ForwardedOperation {
  std::string key;
  paxos::RegisterCommand command;
};

nlohmann::json encode(const paxos::AcceptorRequest& request);
nlohmann::json encode(const paxos::AcceptorReply& reply);
nlohmann::json encode(const quorum::ReplicaRequest& request);
nlohmann::json encode(const quorum::ReplicaReply& reply);

nlohmann::json encode(const ForwardedOperation& operation);
nlohmann::json encode(const OperationResult& result);

std::expected<paxos::AcceptorRequest, std::string> decode_acceptor_request(const nlohmann::json& json);
std::expected<paxos::AcceptorReply, std::string> decode_acceptor_reply(const nlohmann::json& json);
std::expected<quorum::ReplicaRequest, std::string> decode_replica_request(const nlohmann::json& json);
std::expected<quorum::ReplicaReply, std::string> decode_replica_reply(const nlohmann::json& json);
std::expected<ForwardedOperation, std::string> decode_forwarded_operation(const nlohmann::json& json);
std::expected<OperationResult, std::string> decode_operation_result(const nlohmann::json& json);

}  // namespace faultline::node
