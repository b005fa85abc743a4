#include "options.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <CLI/CLI.hpp>

#include "limits.h"

namespace faultline::node {
namespace {

struct RawOptions {
  std::string id;
  std::string listen;
  std::vector<std::string> peers;
  std::string data_dir;
  std::string protocol = "paxos";
  std::size_t write_quorum = 0;
  std::size_t read_quorum = 0;
  std::string read_repair = "sync";
  std::string timestamps = "lamport";
  bool no_fsync = false;
  bool allow_remote = false;
  bool no_fast_path = false;
  std::string proposers = "leader";
  std::string bug = "none";
};

std::string bug_list() {
  std::string text;
  for (const auto& info : bundled::bug_infos)
    text += "\n    " + std::string(info.name) + ": " + std::string(info.effect);
  return text;
}

void describe(CLI::App& app, RawOptions& raw) {
  app.description(
      "faultline-node: one node of a key-value cluster replicated by Paxos (every key an independent CASPaxos\n"
      "register) or by Dynamo-style quorums. Clients speak JSON over HTTP:\n"
      "  GET  /kv/{key}            -> 200 {\"value\": v}   (null when absent)\n"
      "  PUT  /kv/{key}      {\"value\": v}             -> 200\n"
      "  POST /kv/{key}/cas  {\"from\": a, \"to\": b}   -> 200, or 409 when the value is not a (certainly not applied)\n"
      "  other failures      -> 503 {\"error\": ..., \"definite\": true|false}; definite: certainly not applied\n"
      "  malformed requests  -> 400 {\"error\": ...}\n"
      "  GET /health, GET /status, POST /admin/clock {\"offset_ms\": x} (shifts the wall clock of quorum timestamps)\n"
      "Nodes call each other on POST /internal/paxos, /internal/forward and /internal/quorum.");
  app.add_option("--id", raw.id, "this node's id, e.g. n1")->required();
  app.add_option("--listen", raw.listen, "HOST:PORT to serve on, e.g. 127.0.0.1:8001")->required();
  app.add_option("--peer", raw.peers,
                 "ID=HOST:PORT of another node; repeat for each. Every peer has its own address, so each directed "
                 "link can be routed through its own proxy");
  app.add_option("--data-dir", raw.data_dir, "directory for the durable log (created when absent)")->required();
  app.add_option("--protocol", raw.protocol, "paxos or quorum")->check(CLI::IsMember({"paxos", "quorum"}));
  app.add_option("--write-quorum", raw.write_quorum, "quorum: W, acks a write waits for (default: a majority)");
  app.add_option("--read-quorum", raw.read_quorum, "quorum: R, replies a read waits for (default: a majority)");
  app.add_option("--read-repair", raw.read_repair,
                 "quorum: off, async (repair stale replicas in the background) or sync (write the newest value back to "
                 "W replicas before answering: ABD, linearizable reads and writes when R + W > N)")
      ->check(CLI::IsMember({"off", "async", "sync"}));
  app.add_option("--timestamps", raw.timestamps,
                 "quorum: lamport (a write first asks R replicas for the highest timestamp) or wallclock (this node's "
                 "clock plus the offset set by POST /admin/clock)")
      ->check(CLI::IsMember({"lamport", "wallclock"}));
  app.add_flag("--no-fsync", raw.no_fsync, "write the log without fsync (faster; unsafe if the machine crashes)");
  app.add_flag("--allow-remote", raw.allow_remote, "allow --listen on an address other than loopback");
  app.add_flag("--no-fast-path", raw.no_fast_path,
               "paxos: always run both rounds (prepare, accept). By default an accept also carries the prepare of the "
               "proposer's next ballot, so the next operation on the key goes straight to the accept round");
  app.add_option("--proposers", raw.proposers,
                 "paxos: leader (default: a node forwards its clients' operations to the lowest-numbered node that "
                 "answers, which proposes them, so proposers rarely duel) or every-node (each node proposes its own "
                 "clients' operations; proposers on different nodes duel on shared keys)")
      ->check(CLI::IsMember({"leader", "every-node"}));
  app.add_option("--bug", raw.bug, "plant a bug (off by default):" + bug_list());
  app.footer(
      "Quorum cas is a read followed by a conditional write: NOT atomic, unsafe on purpose, for comparison.\n"
      "Exit codes: 0 stopped by a signal, 2 bad flags, 3 unusable or corrupt data directory, 4 cannot listen.");
}

bool is_loopback(const std::string& host) { return host == "localhost" || host.starts_with("127.") || host == "::1"; }

}  // namespace

std::expected<Address, std::string> parse_address(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) return std::unexpected("expected HOST:PORT, got '" + text + "'");
  Address address;
  address.host = text.substr(0, colon);
  const std::string port = text.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
    return std::unexpected("port must be a number from 1 to 65535, got '" + port + "' in '" + text + "'");
  address.port = static_cast<std::uint16_t>(value);
  return address;
}

std::vector<std::string> NodeOptions::cluster() const {
  std::vector<std::string> ids{id};
  for (const auto& [peer, address] : peers) ids.push_back(peer);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::size_t NodeOptions::self_index() const {
  const auto ids = cluster();
  return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
}

std::string help_text() {
  CLI::App app{"", "faultline-node"};
  RawOptions raw;
  describe(app, raw);
  return app.help();
}

std::expected<NodeOptions, ParseError> parse_node_options(int argc, const char* const* argv) {
  CLI::App app{"", "faultline-node"};
  RawOptions raw;
  describe(app, raw);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return std::unexpected(ParseError{0, ""});
  } catch (const CLI::ParseError& e) {
    return std::unexpected(ParseError{exit_bad_flags, e.what()});
  }
  auto fail = [](std::string message) { return std::unexpected(ParseError{exit_bad_flags, std::move(message)}); };

  NodeOptions options;
  options.id = raw.id;
  if (options.id.empty() || options.id.find_first_of("=/ ") != std::string::npos)
    return fail("--id: a node id must be non-empty without '=', '/' or spaces, got '" + raw.id + "'");
  auto listen = parse_address(raw.listen);
  if (!listen) return fail("--listen: " + listen.error());
  if (!raw.allow_remote && !is_loopback(listen->host))
    return fail("--listen: " + listen->host + " is not a loopback address; pass --allow-remote to serve on it");
  options.listen = *listen;

  std::set<std::string> ids{options.id};
  for (const std::string& peer : raw.peers) {
    const auto equals = peer.find('=');
    if (equals == std::string::npos || equals == 0) return fail("--peer: expected ID=HOST:PORT, got '" + peer + "'");
    const std::string peer_id = peer.substr(0, equals);
    auto address = parse_address(peer.substr(equals + 1));
    if (!address) return fail("--peer " + peer_id + ": " + address.error());
    if (!ids.insert(peer_id).second)
      return fail("--peer: node id '" + peer_id + "' appears twice (or is this node's own --id)");
    options.peers.emplace_back(peer_id, *address);
  }
  options.data_dir = raw.data_dir;
  options.protocol = raw.protocol == "quorum" ? NodeOptions::Protocol::quorum : NodeOptions::Protocol::paxos;

  if (options.protocol == NodeOptions::Protocol::paxos && (raw.write_quorum != 0 || raw.read_quorum != 0))
    return fail("--write-quorum and --read-quorum apply to --protocol quorum only (Paxos always uses a majority)");
  const std::size_t n = options.peers.size() + 1;
  const std::size_t majority = n / 2 + 1;
  options.quorum.cluster_size = n;
  options.quorum.max_rounds = quorum_rounds_max;
  options.quorum.write_quorum = raw.write_quorum == 0 ? majority : raw.write_quorum;
  options.quorum.read_quorum = raw.read_quorum == 0 ? majority : raw.read_quorum;
  if (options.quorum.write_quorum > n)
    return fail("--write-quorum " + std::to_string(raw.write_quorum) + " is larger than the cluster (" +
                std::to_string(n) + " nodes)");
  if (options.quorum.read_quorum > n)
    return fail("--read-quorum " + std::to_string(raw.read_quorum) + " is larger than the cluster (" +
                std::to_string(n) + " nodes)");
  options.quorum.read_repair = raw.read_repair == "off"     ? quorum::ReadRepair::off
                               : raw.read_repair == "async" ? quorum::ReadRepair::async
                                                            : quorum::ReadRepair::sync;
  options.quorum.timestamps =
      raw.timestamps == "wallclock" ? quorum::TimestampMode::wallclock : quorum::TimestampMode::lamport;
  options.fsync = !raw.no_fsync;
  options.allow_remote = raw.allow_remote;
  options.fast_path = !raw.no_fast_path;
  options.proposers = raw.proposers == "every-node" ? NodeOptions::Proposers::every_node : NodeOptions::Proposers::leader;

  auto bug = bundled::parse_bug(raw.bug);
  if (!bug) return fail("--bug: unknown bug '" + raw.bug + "'; known:" + bug_list());
  if (*bug != bundled::Bug::none &&
      !bundled::bug_applies_to(bundled::bug_name(*bug), options.protocol == NodeOptions::Protocol::paxos))
    return fail("--bug " + raw.bug + " does not apply to --protocol " + raw.protocol);
  options.bug = *bug;
  options.quorum.bug = *bug;
  return options;
}

}  // namespace faultline::node
