// The applier against a target that records what it is asked to do.
#include "process_applier.h"

#include <catch2/catch.hpp>
#include <set>

using namespace faultline;

namespace {

class RecordingTarget final : public Target {
 public:
  std::vector<std::string> calls;
  std::set<std::string> failing_restarts;

  std::vector<std::string> node_ids() const override { return {"n1", "n2", "n3"}; }
  TargetResult<void> start_all() override { return {}; }
  TargetResult<void> restart(const std::string& node) override {
    calls.push_back("restart " + node);
    if (failing_restarts.contains(node)) return std::unexpected(TargetError{"node " + node + " did not come up"});
    return {};
  }
  void kill(const std::string& node) override { calls.push_back("kill " + node); }
  void pause(const std::string& node) override { calls.push_back("pause " + node); }
  void resume(const std::string& node) override { calls.push_back("resume " + node); }
  bool is_running(const std::string&) const override { return true; }
  void stop_all() noexcept override {}
  std::unique_ptr<KvClient> client(const std::string&) const override { return nullptr; }
  std::filesystem::path log_path(const std::string&) const override { return {}; }
  nlohmann::json describe() const override { return {}; }
};

}  // namespace

TEST_CASE("each fault becomes one call per node") {
  RecordingTarget target;
  REQUIRE(apply_process_fault(target, {FaultKind::kill, {"n1", "n3"}}));
  REQUIRE(apply_process_fault(target, {FaultKind::pause, {"n2"}}));
  REQUIRE(apply_process_faults(target, {{FaultKind::resume, {"n2"}}, {FaultKind::restart, {"n1", "n3"}}}));
  CHECK(target.calls ==
        std::vector<std::string>{"kill n1", "kill n3", "pause n2", "resume n2", "restart n1", "restart n3"});
}

TEST_CASE("a failed restart does not stop the others, and every failure is reported") {
  RecordingTarget target;
  target.failing_restarts = {"n1", "n2"};
  const auto healed = apply_process_faults(target, {{FaultKind::restart, {"n1", "n2", "n3"}}});
  REQUIRE_FALSE(healed);
  CHECK(healed.error().message == "node n1 did not come up\nnode n2 did not come up");
  CHECK(target.calls == std::vector<std::string>{"restart n1", "restart n2", "restart n3"});
}
