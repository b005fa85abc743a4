// The contract between the checkers and the report: the report is built from what the real
// checkers write for a real kind of history (a synthetic kv history with a planted stale read,
// faults recorded as the nemesis records them: an invoke and an info completion), not from
// hand-written checker output. Whatever a checker changes in its details, the report must
// still show every checker's verdict, the anomaly's op and the fault windows.
#include <sstream>

#include <catch2/catch.hpp>

#include "history/history.h"
#include "report_data.h"
#include "report_html.h"
#include "run_checks.h"
#include "synthetic_history.h"
#include "test_run.h"
#include "workload.h"

namespace faultline {
namespace {

using nlohmann::json;

// The planted history with n1 killed from 20% to 40% of it, and each client invocation naming
// its node, as faultline records them.
History history_with_faults() {
  SyntheticHistoryOptions options;
  options.ops = 2000;
  options.keys = 2;
  options.clients = 6;
  options.plant = PlantedAnomaly::stale_read;
  options.seed = 11;
  std::vector<Op> ops;
  generate_synthetic_history(options, [&](const Op& op) { ops.push_back(op); });
  REQUIRE(ops.size() > 100);
  HistoryBuilder builder("contract");
  std::int64_t line = 0;
  auto add = [&](Op op) {
    op.index = -1;
    REQUIRE(builder.add(std::move(op), ++line));
  };
  auto nemesis = [&](const char* f, std::int64_t time_ns) {
    for (OpType type : {OpType::invoke, OpType::info}) {
      Op op;
      op.process = nemesis_process;
      op.type = type;
      op.f = f;
      op.value = json::array({"n1"});
      op.time_ns = time_ns;
      add(op);
    }
  };
  const std::size_t kill_at = ops.size() / 5, restart_at = 2 * ops.size() / 5;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (i == kill_at) nemesis("kill", ops[i].time_ns);
    if (i == restart_at) nemesis("restart", ops[i].time_ns);
    Op op = ops[i];
    if (op.type == OpType::invoke) op.node = "n" + std::to_string(op.process % 3 + 1);
    add(op);
  }
  return std::move(builder).finish();
}

}  // namespace

TEST_CASE("report contract: the report shows what the real checkers found, in their own output") {
  const History history = history_with_faults();
  TestOptions options;
  options.workload = "kv";
  options.keys = 2;
  auto workload = make_workload(workload_options(options));
  REQUIRE(workload.has_value());
  const std::vector<NamedResult> checked = run_checkers(history, **workload);
  const json results = results_json(checked, merged_verdict(checked), {{"seed", 11}, {"name", "contract"}});
  REQUIRE(results["valid"] == false);
  const json& linearizability = results["checkers"]["linearizability"];
  REQUIRE(linearizability["valid"] == false);

  const json data = build_report_data(history, results, json::object(), {});
  // Every checker, with the verdict it gave.
  REQUIRE(data["checkers"].size() == results["checkers"].size());
  for (const json& checker : data["checkers"]) {
    const json given = results["checkers"][checker["name"].get<std::string>()]["valid"];
    CHECK(checker["verdict"] == (given == true ? "valid" : given == false ? "invalid" : "unknown"));
  }
  // The anomaly's op is the one the checker named, drawn as the op that cannot be placed.
  const json blocked_index = linearizability["anomaly"]["op"]["invoke_index"];
  bool blocked_drawn = false;
  for (const json& op : data["anomaly_view"]["ops"]) blocked_drawn |= op["role"] == "blocked" && op["invoke_index"] == blocked_index;
  CHECK(blocked_drawn);
  CHECK(data["anomaly_view"]["process_nodes"].size() > 0);
  // The kill window, from the availability checker's own output, named in words.
  REQUIRE(data["faults"].size() == 1);
  CHECK(data["faults"][0]["label"] == "n1 killed");
  CHECK(data["faults"][0]["end_ms"].get<double>() > data["faults"][0]["start_ms"].get<double>());

  std::ostringstream page;
  write_report_html(page, data, ReportAssets{});
  const std::string html = page.str();
  for (const auto& [name, details] : results["checkers"].items()) CHECK(html.find("<tr><td>" + name + "</td>") != std::string::npos);
  CHECK(html.find("data-index=\"" + blocked_index.dump() + "\"") != std::string::npos);
  CHECK(html.find(">n1 killed</td>") != std::string::npos);
  CHECK(html.find("class=\"faults-at-anomaly\"") != std::string::npos);
}

}  // namespace faultline
