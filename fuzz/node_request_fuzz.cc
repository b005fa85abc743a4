// Fuzz target: the bundled node's request handling, in process (no sockets). Each line of the
// input is one request as a peer sends it on POST /internal/paxos ('p' then the JSON body), POST
// /internal/quorum ('q') or POST /internal/forward ('f'); the requests go, in order, to one
// acceptor and one replica, as the node's handlers give them. A request that does not decode
// is refused with a message (the node answers 400), never a crash. Checked on every step:
// - a decoded request encodes and decodes again to the same request (what a forwarding
//   node sends is what the receiving node reads);
// - every reply encodes into what the sender decodes;
// - an acceptor's promise for a key never goes down, and it never holds an accepted ballot
//   above its promise (what Paxos's safety rests on); a replica's timestamp for a key never
//   goes down.
// A broken check aborts (the fuzzer reports it as a crash).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "node/wire.h"
#include "paxos/acceptor.h"
#include "quorum/replica.h"

namespace {

using faultline::paxos::Ballot;
using nlohmann::json;
namespace node = faultline::node;

void require(bool holds) {
  if (!holds) std::abort();
}

void on_paxos(faultline::paxos::Acceptor& acceptor, const json& body) {
  const auto request = node::decode_acceptor_request(body);
  if (!request) {
    require(!request.error().empty());
    return;
  }
  const json encoded = node::encode(*request);
  const auto again = node::decode_acceptor_request(encoded);
  require(again.has_value() && node::encode(*again) == encoded);

  std::map<std::string, Ballot> promised_before;
  for (const auto& [key, record] : acceptor.records()) promised_before[key] = record.promised;
  const faultline::paxos::AcceptorStep step = acceptor.step(*request);
  require(node::decode_acceptor_reply(node::encode(step.reply)).has_value());
  for (const auto& [key, record] : acceptor.records()) {
    const auto before = promised_before.find(key);
    require(before == promised_before.end() || before->second <= record.promised);
    require(record.accepted <= record.promised);
  }
}

void on_quorum(faultline::quorum::Replica& replica, const json& body) {
  const auto request = node::decode_replica_request(body);
  if (!request) {
    require(!request.error().empty());
    return;
  }
  const json encoded = node::encode(*request);
  const auto again = node::decode_replica_request(encoded);
  require(again.has_value() && node::encode(*again) == encoded);
  std::map<std::string, faultline::quorum::Timestamp> before;
  for (const auto& [key, versioned] : replica.records()) before[key] = versioned.timestamp;
  const faultline::quorum::ReplicaStep step = replica.step(*request);
  require(node::decode_replica_reply(node::encode(step.reply)).has_value());
  for (const auto& [key, versioned] : replica.records()) {
    const auto old = before.find(key);
    require(old == before.end() || old->second <= versioned.timestamp);
  }
}

void on_forward(const json& body) {
  const auto operation = node::decode_forwarded_operation(body);
  if (!operation) {
    require(!operation.error().empty());
    return;
  }
  const json encoded = node::encode(*operation);
  const auto again = node::decode_forwarded_operation(encoded);
  require(again.has_value() && node::encode(*again) == encoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  faultline::paxos::Acceptor acceptor;
  faultline::quorum::Replica replica;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    const std::size_t end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
    if (line.empty()) continue;
    // The node's handlers take the body as JSON; a body that is not JSON is a 400 before them.
    const json body = json::parse(line.substr(1), nullptr, false);
    if (body.is_discarded()) continue;
    switch (line.front()) {
      case 'p': on_paxos(acceptor, body); break;
      case 'q': on_quorum(replica, body); break;
      case 'f': on_forward(body); break;
      default: break;
    }
  }
  return 0;
}
