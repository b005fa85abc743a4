// Fault names, values and their round trip through a nemesis op.
#include "fault.h"

#include <catch2/catch.hpp>

using namespace faultline;

TEST_CASE("fault names are the history's and parse back") {
  CHECK(fault_name(FaultKind::kill) == "kill");
  CHECK(fault_name(FaultKind::restart) == "restart");
  CHECK(fault_name(FaultKind::pause) == "pause");
  CHECK(fault_name(FaultKind::resume) == "resume");
  for (FaultKind kind : {FaultKind::kill, FaultKind::restart, FaultKind::pause, FaultKind::resume})
    CHECK(parse_fault_name(fault_name(kind)) == kind);
  CHECK_FALSE(parse_fault_name("partition"));
}

TEST_CASE("a fault is recorded as a nemesis op whose value is the nodes") {
  const Fault fault{FaultKind::pause, {"n1", "n3"}};
  CHECK(fault_value(fault) == nlohmann::json::array({"n1", "n3"}));
  CHECK(describe(fault) == "pause n1 n3");

  Op op;
  op.process = nemesis_process;
  op.type = OpType::info;
  op.f = "pause";
  op.value = fault_value(fault);
  CHECK(fault_of(op) == fault);

  op.value = "n1";
  CHECK_FALSE(fault_of(op));  // not an array
  op.value = nlohmann::json::array({"n1"});
  op.f = "partition";
  CHECK_FALSE(fault_of(op));  // another nemesis
  op.f = "kill";
  op.process = 3;
  CHECK_FALSE(fault_of(op));  // a client's op
}

TEST_CASE("every window begins with a fault and ends with its heal") {
  CHECK(fault_window_kinds[0].begins == FaultKind::kill);
  CHECK(fault_window_kinds[0].ends == FaultKind::restart);
  CHECK(fault_window_kinds[1].begins == FaultKind::pause);
  CHECK(fault_window_kinds[1].ends == FaultKind::resume);
}

TEST_CASE("power-loss is a process fault of its own name, whose window a restart ends") {
  CHECK(parse_fault_name("power-loss") == FaultKind::power_loss);
  CHECK(fault_name(FaultKind::power_loss) == "power-loss");
  CHECK(fault_window_kinds[2].begins == FaultKind::power_loss);
  CHECK(fault_window_kinds[2].ends == FaultKind::restart);
  CHECK(begins_window(FaultKind::power_loss));
  CHECK_FALSE(begins_window(FaultKind::restart));
  Op op;
  op.process = nemesis_process;
  op.type = OpType::invoke;
  op.f = "power-loss";
  op.value = nlohmann::json::array({"n2"});
  CHECK(fault_of(op) == Fault{FaultKind::power_loss, {"n2"}});
  CHECK(describe(Fault{FaultKind::power_loss, {"n2"}}) == "power-loss n2");
}

TEST_CASE("corrupt records its one node's plan as {node: plan}, and reads it back") {
  CHECK(parse_fault_name("corrupt") == FaultKind::corrupt);
  CHECK(begins_window(FaultKind::corrupt));
  FileCorruption truncate{FileCorruption::Kind::truncate, 0.5, {}, 0.75};
  FileCorruption flip{FileCorruption::Kind::bitflip, 0.25, {{0.5, 3}, {0.125, 0}}, 0};
  for (const FileCorruption& plan : {truncate, flip}) {
    const Fault fault{FaultKind::corrupt, {"n3"}, plan};
    Op op;
    op.process = nemesis_process;
    op.type = OpType::invoke;
    op.f = "corrupt";
    op.value = fault_value(fault);
    REQUIRE(op.value.is_object());
    CHECK(op.value.contains("n3"));
    CHECK(fault_of(op) == fault);
  }
  CHECK(fault_value(Fault{FaultKind::corrupt, {"n3"}, truncate}) ==
        nlohmann::json::parse(R"({"n3": {"file": 0.5, "truncate": 0.75}})"));
  CHECK(describe(Fault{FaultKind::corrupt, {"n3"}, truncate}) == "corrupt n3 (truncate, keep 75%)");
  CHECK(describe(Fault{FaultKind::corrupt, {"n3"}, flip}) == "corrupt n3 (flip 2 bits)");
  Op bad;
  bad.process = nemesis_process;
  bad.f = "corrupt";
  bad.value = nlohmann::json::parse(R"({"n3": {"file": 1.5, "truncate": 0.2}})");
  CHECK_FALSE(fault_of(bad));
  bad.value = nlohmann::json::array({"n3"});
  CHECK_FALSE(fault_of(bad));
}
