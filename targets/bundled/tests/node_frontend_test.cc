// The node's pure front end: the wire format of node-to-node messages and the flags.
#include <catch2/catch.hpp>

#include "../node/options.h"
#include "../node/wire.h"

using namespace faultline;
using namespace faultline::node;
using nlohmann::json;

namespace {

std::expected<NodeOptions, ParseError> parse(std::vector<std::string> args) {
  args.insert(args.begin(), "faultline-node");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  return parse_node_options(static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("wire: Paxos messages survive a round trip", "[wire]") {
  const paxos::AcceptorRequest accept = paxos::Accept{"k", {7, 2}, json{{"x", 1}}, {}};
  auto decoded = decode_acceptor_request(encode(accept));
  REQUIRE(decoded);
  CHECK(std::get<paxos::Accept>(*decoded).value == json{{"x", 1}});
  CHECK(std::get<paxos::Accept>(*decoded).ballot == paxos::Ballot{7, 2});

  const paxos::AcceptorReply promise = paxos::Promise{"k", {7, 2}, true, {7, 2}, {3, 1}, 4};
  auto reply = decode_acceptor_reply(encode(promise));
  REQUIRE(reply);
  CHECK(std::get<paxos::Promise>(*reply).accepted == paxos::Ballot{3, 1});
  CHECK(std::get<paxos::Promise>(*reply).value == 4);

  // The fast path's fields: the piggybacked next ballot, and a rejection's accepted ballot.
  const paxos::AcceptorRequest fast = paxos::Accept{"k", {7, 2}, 1, {8, 2}};
  decoded = decode_acceptor_request(encode(fast));
  REQUIRE(decoded);
  CHECK(std::get<paxos::Accept>(*decoded).next == paxos::Ballot{8, 2});
  CHECK(std::get<paxos::Accept>(*decode_acceptor_request(encode(accept))).next.is_zero());
  const paxos::AcceptorReply refused = paxos::Accepted{"k", {7, 2}, false, {9, 0}, {5, 1}};
  reply = decode_acceptor_reply(encode(refused));
  REQUIRE(reply);
  CHECK(std::get<paxos::Accepted>(*reply).accepted == paxos::Ballot{5, 1});
  // A reply without the field proves nothing: it reads as the highest ballot.
  json old = encode(refused);
  old.erase("accepted");
  CHECK(std::get<paxos::Accepted>(*decode_acceptor_reply(old)).accepted.counter == UINT64_MAX);

  // A read's confirmation.
  decoded = decode_acceptor_request(encode(paxos::AcceptorRequest{paxos::Confirm{"k", {7, 2}}}));
  REQUIRE(decoded);
  CHECK(std::get<paxos::Confirm>(*decoded).ballot == paxos::Ballot{7, 2});
  reply = decode_acceptor_reply(encode(paxos::AcceptorReply{paxos::Confirmed{"k", {7, 2}, false, {9, 1}}}));
  REQUIRE(reply);
  CHECK_FALSE(std::get<paxos::Confirmed>(*reply).ok);
  CHECK(std::get<paxos::Confirmed>(*reply).promised == paxos::Ballot{9, 1});
}

TEST_CASE("wire: quorum messages survive a round trip", "[wire]") {
  const quorum::ReplicaRequest write = quorum::WriteRequest{"k", quorum::Versioned{"v", {9, 1}}};
  auto decoded = decode_replica_request(encode(write));
  REQUIRE(decoded);
  CHECK(std::get<quorum::WriteRequest>(*decoded).versioned == quorum::Versioned{"v", {9, 1}});
  auto ack = decode_replica_reply(encode(quorum::ReplicaReply{quorum::WriteAck{"k", {9, 1}}}));
  REQUIRE(ack);
  CHECK(std::get<quorum::WriteAck>(*ack).timestamp == quorum::Timestamp{9, 1});
}

TEST_CASE("wire: forwarded operations and their results survive a round trip", "[wire]") {
  const ForwardedOperation cas{"k", {paxos::RegisterCommand::Kind::cas, nullptr, 1, json{{"a", 2}}}};
  auto decoded = decode_forwarded_operation(encode(cas));
  REQUIRE(decoded);
  CHECK(decoded->key == "k");
  CHECK(decoded->command.kind == paxos::RegisterCommand::Kind::cas);
  CHECK(decoded->command.from == 1);
  CHECK(decoded->command.to == json{{"a", 2}});
  CHECK(decode_forwarded_operation(encode(ForwardedOperation{"k", {paxos::RegisterCommand::Kind::write, 5, nullptr, nullptr}}))
            ->command.value == 5);

  OperationResult unknown;
  unknown.status = OperationResult::Status::failed;
  unknown.definite = false;
  unknown.error = "no majority";
  auto result = decode_operation_result(encode(unknown));
  REQUIRE(result);
  CHECK(result->status == OperationResult::Status::failed);
  CHECK_FALSE(result->definite);
  CHECK(result->error == "no majority");
  OperationResult read;
  read.status = OperationResult::Status::ok;
  read.value = json::array({1, 2});
  CHECK(decode_operation_result(encode(read))->value == json::array({1, 2}));

  const json micro_ops = json::parse(R"([["append", 1, 2], ["r", "a", null]])");
  auto txn = decode_forwarded_operation(encode(ForwardedOperation{"@txn", {paxos::RegisterCommand::Kind::txn, micro_ops, nullptr, nullptr}}));
  REQUIRE(txn);
  CHECK(txn->command.kind == paxos::RegisterCommand::Kind::txn);
  CHECK(txn->command.value == micro_ops);
  CHECK(decode_forwarded_operation(json{{"key", "@txn"}, {"f", "txn"}, {"value", json::parse(R"([["add", 1, 2]])")}}).error() ==
        R"(field 'value': micro-operation 0 (["add",1,2]): f must be "append", "r" or "w")");
  CHECK(decode_forwarded_operation(json{{"key", "k"}, {"f", "append"}}).error() ==
        "field 'f': expected read, write, cas or txn, got 'append'");
  CHECK(decode_operation_result(json{{"status", "failed"}, {"error", "x"}}).error() ==
        "field 'definite': expected true or false");
}

TEST_CASE("wire: a malformed message names the wrong field", "[wire]") {
  CHECK(decode_acceptor_request(json::array()).error() == "expected a JSON object");
  CHECK(decode_acceptor_request(json{{"type", "prepare"}, {"key", "k"}, {"ballot", {1}}}).error() ==
        "field 'ballot': expected [counter, node]");
  CHECK(decode_acceptor_request(json{{"type", "accept"}, {"key", "k"}, {"ballot", {1, 0}}}).error() ==
        "field 'value': expected a JSON value");
  CHECK(decode_replica_request(json{{"type", "erase"}}).error() == "field 'type': expected read or write, got 'erase'");
  CHECK(decode_acceptor_reply(json{{"type", 3}}).error() == "field 'type': expected a string");
}

TEST_CASE("options: a three-node quorum cluster", "[options]") {
  auto options = parse({"--id", "n2", "--listen", "127.0.0.1:8002", "--peer", "n1=127.0.0.1:8001", "--peer",
                        "n3=127.0.0.1:8003", "--data-dir", "/tmp/x", "--protocol", "quorum", "--read-quorum", "1",
                        "--read-repair", "async", "--timestamps", "wallclock"});
  REQUIRE(options);
  CHECK(options->cluster() == std::vector<std::string>{"n1", "n2", "n3"});
  CHECK(options->self_index() == 1);
  CHECK(options->quorum.write_quorum == 2);  // a majority by default
  CHECK(options->quorum.read_quorum == 1);
  CHECK(options->quorum.read_repair == quorum::ReadRepair::async);
  CHECK(options->quorum.timestamps == quorum::TimestampMode::wallclock);
  CHECK(options->fsync);
  CHECK(options->fast_path);                                        // on by default
  CHECK(options->proposers == NodeOptions::Proposers::leader);  // by default
}

TEST_CASE("options: --no-fast-path and --proposers", "[options]") {
  auto options = parse({"--id", "n1", "--listen", "127.0.0.1:8001", "--data-dir", "/tmp/x", "--no-fast-path",
                        "--proposers", "every-node"});
  REQUIRE(options);
  CHECK_FALSE(options->fast_path);
  CHECK(options->proposers == NodeOptions::Proposers::every_node);
  CHECK_THAT(parse({"--id", "n1", "--listen", "127.0.0.1:8001", "--data-dir", "/tmp/x", "--proposers", "all"})
                 .error()
                 .message,
             Catch::Contains("--proposers"));
}

TEST_CASE("options: bad flags are errors naming the flag", "[options]") {
  const std::vector<std::string> base{"--id", "n1", "--listen", "127.0.0.1:8001", "--data-dir", "/tmp/x"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = base;
    args.insert(args.end(), more.begin(), more.end());
    return parse(args);
  };
  CHECK_THAT(with({"--peer", "n2=127.0.0.1"}).error().message, Catch::Contains("--peer n2: expected HOST:PORT"));
  CHECK_THAT(with({"--read-quorum", "2"}).error().message, Catch::Contains("--protocol quorum only"));
  CHECK_THAT(with({"--bug", "quorum-local-read"}).error().message, Catch::Contains("does not apply to --protocol paxos"));
  CHECK_THAT(parse({"--id", "n1", "--listen", "0.0.0.0:1", "--data-dir", "/tmp/x"}).error().message,
             Catch::Contains("not a loopback address"));
  CHECK(parse({"--id", "n1", "--listen", "0.0.0.0:1", "--data-dir", "/tmp/x", "--allow-remote"}).has_value());
  CHECK(with({"--no-such-flag"}).error().exit_code == exit_bad_flags);
  CHECK(parse({"--help"}).error().message.empty());
}

TEST_CASE("options: addresses", "[options]") {
  CHECK(parse_address("127.0.0.1:80")->port == 80);
  CHECK(parse_address("[::1]:80").has_value());
  CHECK_FALSE(parse_address(":80"));
  CHECK_FALSE(parse_address("host:0"));
  CHECK_FALSE(parse_address("host:8x"));
}
