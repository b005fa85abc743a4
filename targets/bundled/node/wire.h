// The node-to-node messages as JSON (POST /internal/paxos, POST /internal/quorum). Pure
// conversions; a decode error says which field is wrong.
#pragma once

#include <expected>
#include <string>

#include <nlohmann/json.hpp>

#include "../paxos/messages.h"
#include "../quorum/versioned.h"

namespace faultline::node {

nlohmann::json encode(const paxos::AcceptorRequest& request);
nlohmann::json encode(const paxos::AcceptorReply& reply);
nlohmann::json encode(const quorum::ReplicaRequest& request);
nlohmann::json encode(const quorum::ReplicaReply& reply);

std::expected<paxos::AcceptorRequest, std::string> decode_acceptor_request(const nlohmann::json& json);
std::expected<paxos::AcceptorReply, std::string> decode_acceptor_reply(const nlohmann::json& json);
std::expected<quorum::ReplicaRequest, std::string> decode_replica_request(const nlohmann::json& json);
std::expected<quorum::ReplicaReply, std::string> decode_replica_reply(const nlohmann::json& json);

}  // namespace faultline::node
