#include <catch2/catch.hpp>

#include "progress.h"
#include "run_configuration.h"
#include "target_factory.h"
#include "test_options.h"

using namespace faultline;

TEST_CASE("bad usage is refused with a message naming the option") {
  TestOptions options;
  CHECK(validate_test_options(options).empty());
  options.rate = -1;
  CHECK(validate_test_options(options) == "--rate: operations per second must be positive");
  options = TestOptions{};
  options.protocol = "quorum";
  options.read_quorum = 4;
  CHECK(validate_test_options(options) == "--read-quorum: R must be between 1 and the number of nodes (3), got 4");
  options = TestOptions{};
  options.write_quorum = 2;
  CHECK(validate_test_options(options) ==
        "--write-quorum and --read-quorum apply to --protocol quorum; Paxos always uses majorities");
  options = TestOptions{};
  options.nemesis = {"kill", "meteor"};
  CHECK(validate_test_options(options) ==
        "--nemesis: unknown fault 'meteor' (known: kill, pause, partition, packet, clock, power-loss, corrupt, none)");
  options = TestOptions{};
  options.nemesis = {"partition"};
  options.partition_kinds = {"isolate", "wedge"};
  CHECK(validate_test_options(options) ==
        "--partition: unknown shape 'wedge' (known: isolate, halves, majorities-ring, bridge, one-way)");
  options.partition_kinds = {};
  CHECK(validate_test_options(options) ==
        "--nemesis partition: give at least one shape (--partition) or a grudge (--partition-grudge)");
  options.partition_grudge = R"({"n7": ["n1"]})";
  CHECK_THAT(validate_test_options(options), Catch::StartsWith("--partition-grudge: ") && Catch::Contains("n7"));
  options.partition_grudge = "{n3";
  CHECK(validate_test_options(options) == "--partition-grudge: not JSON: {n3");
  options.partition_grudge = R"({"n3": ["n1", "n2"]})";
  CHECK(validate_test_options(options).empty());
  options.nodes = 2;
  options.partition_grudge = "";
  options.partition_kinds = {"bridge"};
  CHECK(validate_test_options(options) == "--partition: majorities-ring and bridge need at least 3 nodes");
  options = TestOptions{};
  options.nemesis = {"packet"};
  options.packet_behaviours = {"corrupt"};
  CHECK(validate_test_options(options) == "--packet: unknown behaviour 'corrupt' (known: delay, loss)");
  options.packet_behaviours = {"delay"};
  options.network = "netns";
  CHECK_THAT(validate_test_options(options), Catch::StartsWith("--packet delay needs --network proxy"));
  options.packet_behaviours = {};
  CHECK(validate_test_options(options).empty());
  CHECK(packet_behaviours_drawn(options) == std::vector<std::string>{"loss"});
  options.network = "proxy";
  CHECK(packet_behaviours_drawn(options) == std::vector<std::string>{"delay", "loss"});
  options = TestOptions{};
  options.network = "carrier-pigeon";
  CHECK(validate_test_options(options) == "--network: expected one of auto, proxy, netns, got 'carrier-pigeon'");
}

TEST_CASE("test.json round-trips the options, seed included") {
  TestOptions options;
  options.protocol = "quorum";
  options.write_quorum = 1;
  options.read_quorum = 1;
  options.seed = 123456789012345ull;
  options.nemesis = {"pause"};
  auto back = test_options_from_json(test_options_to_json(options));
  REQUIRE(back);
  CHECK(test_options_to_json(*back) == test_options_to_json(options));
  auto bad = test_options_from_json({{"nodes", "three"}});
  REQUIRE_FALSE(bad);
}

TEST_CASE("the reproduce command names every choice and the seed") {
  TestOptions options;
  options.seed = 42;
  CHECK(reproduce_command(options) ==
        "faultline test --protocol paxos --nodes 3 --workload register --clients 10 --rate 100 --time-limit 30 "
        "--nemesis kill,pause --nemesis-interval 5 --seed 42");
  // Another build's node, to compare a change under the same faults: part of the choice.
  options.target_options["node_binary"] = "/opt/old/faultline-node";
  CHECK_THAT(reproduce_command(options), Catch::Contains(" --node-binary /opt/old/faultline-node "));
  auto back = test_options_from_json(test_options_to_json(options));
  REQUIRE(back);
  CHECK(back->target_options.value("node_binary", std::string()) == "/opt/old/faultline-node");
}

TEST_CASE("the plan fits warm-up and faults into the time limit") {
  TestOptions options;
  options.time_limit_s = 30;
  RunPlan plan = plan_run(options);
  CHECK(plan.warmup_s == 5);
  CHECK(plan.faults_s == 25);
  CHECK(plan.recovery_s == 5);
  options.time_limit_s = 10;
  CHECK(plan_run(options).warmup_s == 2);
  CHECK(plan_run(options).recovery_s == 2);
}

TEST_CASE("the progress rate is recent: a stall of every client shows as 0 ops/s, not the average since start") {
  RecentRate rate(2.0);
  CHECK(rate.add(0, 0) == 0);
  double t = 0;
  std::int64_t count = 0;
  double shown = 0;
  for (int step = 1; step <= 40; ++step) {  // 10 s at 100 ops/s, sampled every 250 ms
    t = step * 0.25, count += 25;
    shown = rate.add(t, count);
  }
  CHECK(shown == Approx(100));
  for (int step = 1; step <= 8; ++step) shown = rate.add(t + step * 0.25, count);  // 2 s with no op
  CHECK(shown == 0);
  shown = rate.add(t + 2.25, count + 10);  // ops again: the last 2 s only
  CHECK(shown == Approx(10.0 / 2.0));
  RecentRate sparse(2.0);  // samples further apart than the window: the rate since the last one
  sparse.add(0, 0);
  CHECK(sparse.add(5, 500) == Approx(100));  // the first printed line, 5 s in, has a rate
  CHECK(sparse.add(10, 600) == Approx(20));
}

TEST_CASE("the progress line says phase, time, outcomes, rate and faults") {
  ProgressSnapshot s{"faults", 12.04, 35, 1204, 3, 1, 98.4, {"kill n2", "pause n1"}};
  CHECK(format_progress(s) == "[faults] 12.0/35.0 s  ok 1204  fail 3  info 1  98 ops/s  faults: kill n2, pause n1");
}

TEST_CASE("targets: each target's options belong to it, round-trip through test.json, and are refused elsewhere") {
  TestOptions options;
  options.target = "etcd";
  options.target_options["etcd_reads"] = "serializable";
  options.nemesis = {"partition"};
  resolve_network(options);
  CHECK(options.network == "netns");  // etcd members cannot be proxied per link
  const nlohmann::json stored = test_options_to_json(options);
  CHECK(stored["etcd_reads"] == "serializable");
  auto back = test_options_from_json(stored);
  REQUIRE(back);
  CHECK(test_options_to_json(*back) == stored);
  CHECK(validate_target_options(*back, {"read", "write", "cas"}).empty());
  CHECK(target_own_options(*back) == nlohmann::json{{"etcd_reads", "serializable"}, {"etcd_binary", "/usr/bin/etcd"}});
  options.seed = 9;
  CHECK_THAT(reproduce_command(options),
             Catch::StartsWith("faultline test --target etcd --nodes 3 --etcd-reads serializable --workload register"));
  CHECK_THAT(reproduce_command(options), Catch::Contains("--network netns"));

  TestOptions wrong = options;
  wrong.read_quorum = 2;
  CHECK(validate_target_options(wrong, {"read"}) == "--read-quorum applies to --target bundled, not to --target etcd");
  wrong = options;
  wrong.network = "proxy";
  CHECK_THAT(validate_target_options(wrong, {"read"}), Catch::StartsWith("--network proxy cannot cut the links"));
  wrong = options;
  wrong.target_options["etcd_reads"] = "sometimes";
  CHECK(validate_target_options(wrong, {"read"}) ==
        "--etcd-reads: expected one of linearizable, serializable, got \"sometimes\"");
  wrong = options;
  wrong.target = "cassandra";
  CHECK(validate_target_options(wrong, {"read"}) == "--target: unknown target 'cassandra' (known: bundled, etcd, zookeeper, command)");

  TestOptions bundled;
  bundled.target_options["etcd_reads"] = "serializable";
  CHECK(validate_target_options(bundled, {"read"}) == "--etcd-reads applies to --target etcd, not to --target bundled");
  bundled = TestOptions{};
  CHECK(validate_target_options(bundled, {"read", "write", "cas"}).empty());
  CHECK(validate_target_options(bundled, {"read", "lock"}).empty());  // a lease lock on its cas
  CHECK(validate_target_options(bundled, {"read", "teleport"}) ==
        "--workload register needs teleport, which --target bundled clients cannot do");
}

TEST_CASE("the configuration shown is what applies to the run, all of it") {
  auto labels = [](const nlohmann::json& rows) {
    std::vector<std::string> out;
    for (const auto& row : rows) out.push_back(row[0]);
    return out;
  };
  auto has = [&](const nlohmann::json& rows, const std::string& label) {
    const auto all = labels(rows);
    return std::find(all.begin(), all.end(), label) != all.end();
  };
  TestOptions paxos;
  const nlohmann::json paxos_rows = configuration_rows(paxos, nlohmann::json::object());
  CHECK(has(paxos_rows, "proposers"));
  CHECK_FALSE(has(paxos_rows, "read quorum (R)"));
  CHECK_FALSE(has(paxos_rows, "timestamps"));
  CHECK_FALSE(has(paxos_rows, "keys"));  // register: one key
  CHECK(has(paxos_rows, "values"));
  CHECK_FALSE(has(paxos_rows, "network"));  // no network faults

  TestOptions quorum;
  quorum.protocol = "quorum";
  quorum.read_quorum = 1;
  quorum.workload = "kv";
  quorum.nemesis = {"partition"};
  quorum.network = "netns";
  const nlohmann::json quorum_rows = configuration_rows(quorum, nlohmann::json::object());
  CHECK(quorum_rows.dump().find(R"x(["read quorum (R)","1"])x") != std::string::npos);
  CHECK(quorum_rows.dump().find(R"x(["write quorum (W)","majority"])x") != std::string::npos);
  CHECK_FALSE(has(quorum_rows, "proposers"));
  CHECK(has(quorum_rows, "keys"));
  CHECK(quorum_rows.dump().find(R"(["network","netns"])") != std::string::npos);
  CHECK(has(quorum_rows, "partition shapes"));

  TestOptions etcd;
  etcd.target = "etcd";
  etcd.workload = "set";
  const nlohmann::json etcd_rows = configuration_rows(etcd, {{"version", "3.4.23"}});
  CHECK(etcd_rows[0] == nlohmann::json({"target", "etcd 3.4.23"}));
  CHECK(etcd_rows.dump().find(R"(["etcd reads","linearizable"])") != std::string::npos);
  CHECK_FALSE(has(etcd_rows, "protocol"));
  CHECK_FALSE(has(etcd_rows, "values"));  // the set workload adds unique integers
  CHECK(system_text(etcd, {{"version", "3.4.23"}}) == "etcd 3.4.23");
}

TEST_CASE("the reproduce command gives only flags that apply, so it runs again as printed") {
  TestOptions quiet;
  quiet.nemesis = {};
  quiet.workload = "set";
  quiet.cas = false;  // a stored field that does not apply to set
  quiet.seed = 3;
  const std::string command = reproduce_command(quiet);
  CHECK_THAT(command, Catch::Contains("--nemesis none"));
  CHECK_THAT(command, !Catch::Contains("--nemesis-interval"));
  CHECK_THAT(command, !Catch::Contains("--no-cas"));
  TestOptions partition;
  partition.nemesis = {"partition"};
  partition.nemesis_targets = "majority";
  CHECK_THAT(reproduce_command(partition), !Catch::Contains("--nemesis-targets"));
  partition.nemesis = {"partition", "kill"};
  CHECK_THAT(reproduce_command(partition), Catch::Contains("--nemesis-targets majority"));
}
