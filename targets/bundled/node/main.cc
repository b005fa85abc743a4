// faultline-node: one node of the bundled Paxos / quorum key-value cluster. See --help.
#include <signal.h>

#include <iostream>

#include "../storage/acceptor_storage.h"
#include "../storage/replica_storage.h"
#include "http_server.h"
#include "limits.h"
#include "options.h"
#include "paxos_service.h"
#include "quorum_service.h"

using namespace faultline;
using namespace faultline::node;

int main(int argc, char** argv) {
  auto options = parse_node_options(argc, argv);
  if (!options) {
    if (options.error().message.empty()) {
      std::cout << help_text();
      return 0;
    }
    std::cerr << "faultline-node: " << options.error().message << "\nRun with --help for usage.\n";
    return options.error().exit_code;
  }
  const std::string name = "faultline-node " + options->id;
  if (auto can = check_can_listen(options->listen); !can) {
    std::cerr << name << ": " << can.error() << "\n";
    return exit_cannot_listen;
  }

  // Signals go to the server's stopper thread: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
  PeerClient::global_init();

  std::unordered_map<std::string, Address> addresses{{options->id, options->listen}};
  for (const auto& [id, address] : options->peers) addresses[id] = address;
  std::vector<std::unique_ptr<PeerClient>> peers;
  for (const std::string& id : options->cluster()) {
    // A node reaches itself directly; the others at the address given, which may be a proxy.
    Address address = addresses.at(id);
    if (id == options->id && (address.host == "0.0.0.0" || address.host == "::")) address.host = "127.0.0.1";
    // Paxos acceptors take batches (one fsync for all), on few connections so that requests
    // queue up and go together; quorum replicas answer one request at a time.
    const bool paxos = options->protocol == NodeOptions::Protocol::paxos;
    peers.push_back(std::make_unique<PeerClient>("http://" + address.to_string(),
                                                 paxos ? paxos_peer_connections : peer_connections_max,
                                                 peer_request_timeout_ms, paxos ? peer_batch_requests_max : 1,
                                                 peer_batch_bytes_max));
  }

  storage::DurableLogOptions log_options;
  // The planted bug paxos-skip-fsync: every record reaches the page cache before the reply,
  // none reaches the disk.
  log_options.fsync = options->fsync && options->bug != bundled::Bug::paxos_skip_fsync;
  log_options.trust_damaged = options->bug == bundled::Bug::trust_damaged_log;
  std::unique_ptr<KvService> service;
  if (options->protocol == NodeOptions::Protocol::paxos) {
    auto storage = storage::AcceptorStorage::open(options->data_dir, log_options);
    if (!storage) {
      std::cerr << name << ": " << storage.error() << "\n";
      return exit_bad_data_dir;
    }
    if (!(*storage)->lost().empty()) std::cerr << name << ": " << state_lost_error((*storage)->lost()) << "\n";
    service = std::make_unique<PaxosService>(*options, std::move(*storage), std::move(peers));
  } else {
    auto storage = storage::ReplicaStorage::open(options->data_dir, log_options);
    if (!storage) {
      std::cerr << name << ": " << storage.error() << "\n";
      return exit_bad_data_dir;
    }
    if (!(*storage)->lost().empty()) std::cerr << name << ": " << state_lost_error((*storage)->lost()) << "\n";
    service = std::make_unique<QuorumService>(*options, std::move(*storage), std::move(peers));
  }

  std::cerr << name << ": serving on " << options->listen.to_string() << " ("
            << (options->protocol == NodeOptions::Protocol::paxos ? "paxos" : "quorum") << ", "
            << options->cluster().size() << " nodes, data dir " << options->data_dir
            << (options->bug != bundled::Bug::none ? ", planted bug " + std::string(bundled::bug_name(options->bug)) : "")
            << ")\n";
  if (auto served = serve(*service, *options); !served) {
    std::cerr << name << ": " << served.error() << "\n";
    return exit_cannot_listen;
  }
  std::cerr << name << ": stopped\n";
  return 0;
}
