#include "remote_process.h"

#include <catch2/catch.hpp>

using namespace faultline;

namespace {

RemoteProcess process_for_test() {
  HostEntry entry;
  entry.address = "10.0.0.11";
  entry.node = "n1";
  auto host = std::make_shared<SshHost>(entry, "/tmp/control");
  ProcessSpec spec{"/build/bin/faultline-node",
                   {"--id", "n1", "--data-dir", "/local/run-1/data/n1", "--peer", "n2=10.0.0.12:7000"},
                   "/local/run-1/nodes/n1.log",
                   {{"GOGC", "50"}}};
  return RemoteProcess(host, spec, "/local/run-1", "/tmp/faultline/run-1", "/tmp/faultline/run-1/bin/faultline-node");
}

}  // namespace

TEST_CASE("a remote process's paths in the run directory are the remote run directory's") {
  RemoteProcess process = process_for_test();
  CHECK(process.on_host("/local/run-1/data/n1") == "/tmp/faultline/run-1/data/n1");
  CHECK(process.on_host("--data=/local/run-1/data/n1") == "--data=/tmp/faultline/run-1/data/n1");
  CHECK(process.on_host("/elsewhere/x") == "/elsewhere/x");
}

TEST_CASE("a remote process starts under setsid with its exit code recorded, its log appended") {
  const std::string command = process_for_test().start_command();
  CHECK(command ==
        "rm -f '/tmp/faultline/run-1/nodes/n1.exit' && cd '/tmp/faultline/run-1' && { setsid sh -c "
        "'trap : TERM; env '\\''GOGC=50'\\'' '\\''/tmp/faultline/run-1/bin/faultline-node'\\'' '\\''--id'\\'' '\\''n1'\\'' "
        "'\\''--data-dir'\\'' '\\''/tmp/faultline/run-1/data/n1'\\'' '\\''--peer'\\'' '\\''n2=10.0.0.12:7000'\\''; "
        "echo $? > '\\''/tmp/faultline/run-1/nodes/n1.exit'\\''' >> '/tmp/faultline/run-1/nodes/n1.log' 2>&1 < "
        "/dev/null & p=$!; echo $p > '/tmp/faultline/run-1/nodes/n1.pid'; echo $p; }");
}

TEST_CASE("a process's liveness is its /proc entry, a zombie counting as gone") {
  CHECK(process_alive_test(42) ==
        "{ s=$(cat /proc/42/stat 2>/dev/null) && s=${s##*) } && [ \"${s%% *}\" != Z ]; }");
}

TEST_CASE("a remote process not started says so") {
  RemoteProcess process = process_for_test();
  CHECK(process.status_text() == "not started");
  CHECK(process.pid() == -1);
  CHECK_FALSE(process.is_running());
}

TEST_CASE("shell quoting keeps every byte one word") {
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
}
