// Validation, command lines and description of the bundled target's options, against literals.
#include "bundled_options.h"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("the default options are valid") { CHECK(validate_bundled_options(BundledOptions{}).empty()); }

TEST_CASE("impossible options are rejected with a message naming the option") {
  BundledOptions options;
  options.nodes = 0;
  CHECK(validate_bundled_options(options) == "--nodes 0: the bundled cluster has 1 to 9 nodes");
  options = {};
  options.protocol = "raft";
  CHECK(validate_bundled_options(options) == "--protocol 'raft': expected paxos or quorum");
  options = {};
  options.protocol = "quorum";
  options.read_quorum = 4;
  CHECK(validate_bundled_options(options) == "--read-quorum 4: must be from 1 to the number of nodes (3)");
  options.read_quorum = 2;
  options.write_quorum = 0;
  CHECK(validate_bundled_options(options) == "--write-quorum 0: must be from 1 to the number of nodes (3)");
  options = {};
  options.write_quorum = 2;
  CHECK(
      validate_bundled_options(options).starts_with("--write-quorum, --read-quorum, --read-repair and --timestamps "
                                                    "apply to --protocol quorum only"));
  options = {};
  options.bug = "quorum-local-read";
  CHECK(validate_bundled_options(options) == "--bug quorum-local-read does not apply to --protocol paxos");
  options.bug = "typo";
  CHECK(validate_bundled_options(options).starts_with("--bug 'typo': unknown; known bugs: paxos-reply-before-persist"));
  options = {};
  options.ports = {8001, 8002};
  CHECK(validate_bundled_options(options) == "bundled target: 2 ports given for 3 nodes");
  options = {};
  options.protocol = "quorum";
  options.read_repair = "sometimes";
  CHECK(validate_bundled_options(options) == "--read-repair 'sometimes': expected off, async or sync");
  options.read_repair.reset();
  options.proposers = "leader";
  CHECK(validate_bundled_options(options) == "--proposers applies to --protocol paxos only");
  options = {};
  options.proposers = "all";
  CHECK(validate_bundled_options(options) == "--proposers 'all': expected leader or every-node");
}

TEST_CASE("paxos nodes get --proposers when one is chosen, and test.json records it") {
  BundledOptions options;
  options.directory = "/tmp/run";
  const auto placements = loopback_placements(bundled_node_ids(3), {8001, 8002, 8003});
  CHECK(describe_bundled_options(options, placements)["proposers"] == "leader");  // the node's default
  options.proposers = "every-node";
  const std::vector<std::string> arguments = bundled_node_arguments(options, 0, placements);
  const std::vector<std::string> tail(arguments.end() - 2, arguments.end());
  CHECK(tail == std::vector<std::string>{"--proposers", "every-node"});
  CHECK(describe_bundled_options(options, placements)["proposers"] == "every-node");
}

TEST_CASE("every node gets its address, every peer, its data directory and the protocol options") {
  BundledOptions options;
  options.protocol = "quorum";
  options.write_quorum = 2;
  options.read_quorum = 1;
  options.read_repair = "off";
  options.bug = "quorum-local-read";
  options.directory = "/tmp/run";
  const std::vector<std::string> expected = {"--id",           "n2",
                                             "--listen",       "127.0.0.1:8002",
                                             "--peer",         "n1=127.0.0.1:8001",
                                             "--peer",         "n3=127.0.0.1:8003",
                                             "--data-dir",     "/tmp/run/data/n2",
                                             "--protocol",     "quorum",
                                             "--write-quorum", "2",
                                             "--read-quorum",  "1",
                                             "--read-repair",  "off",
                                             "--bug",          "quorum-local-read"};
  CHECK(bundled_node_arguments(options, 1, loopback_placements(bundled_node_ids(3), {8001, 8002, 8003})) == expected);
  CHECK(bundled_node_ids(3) == std::vector<std::string>{"n1", "n2", "n3"});
}

TEST_CASE("a node dials its peers where its placement says") {
  BundledOptions options;
  options.directory = "/tmp/run";
  std::vector<NodePlacement> placements = loopback_placements(bundled_node_ids(3), {8001, 8002, 8003});
  placements[0].peers = {{"n2", "127.0.0.1:9012"}, {"n3", "127.0.0.1:9013"}};  // through proxies
  const std::vector<std::string> arguments = bundled_node_arguments(options, 0, placements);
  const std::vector<std::string> head(arguments.begin(), arguments.begin() + 8);
  CHECK(head == std::vector<std::string>{"--id", "n1", "--listen", "127.0.0.1:8001", "--peer", "n2=127.0.0.1:9012",
                                         "--peer", "n3=127.0.0.1:9013"});
  // In a namespace of its own a node listens on all its addresses, which it must be told it may.
  placements[0].listen_address = "0.0.0.0:8001";
  const std::vector<std::string> in_namespace = bundled_node_arguments(options, 0, placements);
  CHECK(std::vector<std::string>(in_namespace.begin(), in_namespace.begin() + 5) ==
        std::vector<std::string>{"--id", "n1", "--listen", "0.0.0.0:8001", "--allow-remote"});
}

TEST_CASE("the description fills in the quorum defaults") {
  BundledOptions options;
  options.protocol = "quorum";
  options.nodes = 5;
  options.write_quorum = 4;
  const nlohmann::json description =
      describe_bundled_options(options, loopback_placements(bundled_node_ids(5), {1, 2, 3, 4, 5}));
  CHECK(description["target"] == "bundled");
  CHECK(description["write_quorum"] == 4);
  CHECK(description["read_quorum"] == 3);
  CHECK(description["read_repair"] == "sync");
  CHECK(description["timestamps"] == "lamport");
  CHECK(description["bug"] == "none");
  CHECK(description["network"] == "loopback");
  CHECK(description["nodes"][4]["address"] == "127.0.0.1:5");
  CHECK(description["nodes"][4]["peers"]["n1"] == "127.0.0.1:1");
  CHECK_FALSE(describe_bundled_options(BundledOptions{}, {}).contains("write_quorum"));
}
