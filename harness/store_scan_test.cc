#include <filesystem>
#include <fstream>
#include <random>

#include <catch2/catch.hpp>

#include "store_scan.h"

using namespace faultline;
namespace fs = std::filesystem;

namespace {

struct TempStore {
  fs::path path;
  TempStore() : path(fs::temp_directory_path() / ("faultline-store-scan-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(path);
  }
  ~TempStore() { fs::remove_all(path); }
  void add_run(const std::string& name, const std::string& id, const std::string& results, const std::string& test) {
    const fs::path run = path / name / id;
    fs::create_directories(run);
    if (!results.empty()) std::ofstream(run / "results.json") << results;
    if (!test.empty()) std::ofstream(run / "test.json") << test;
  }
};

}  // namespace

TEST_CASE("scan: every run once, newest first, tolerant of missing and bad files") {
  TempStore store;
  store.add_run("paxos", "20261122T100000", R"({"valid": true})", R"({"protocol": "paxos"})");
  store.add_run("paxos", "20261122T110000", "", R"({"protocol": "paxos"})");        // still running
  store.add_run("quorum", "20261122T120000", "{not json", R"({"protocol": "quorum"})");  // broken
  fs::create_directories(store.path / "quorum" / "20261122T130000");                   // not a run
  std::ofstream(store.path / "paxos" / "20261122T100000" / "report.html") << "<p>";
  fs::create_directory_symlink("20261122T110000", store.path / "paxos" / "latest");
  fs::create_directory_symlink(store.path / "paxos", store.path / "alias");           // a link: not scanned

  const StoreScan scan = scan_store(store.path);
  REQUIRE(scan.runs.size() == 3);
  CHECK(scan.runs_found == 3);
  CHECK(scan.runs[0].name == "quorum");
  CHECK(scan.runs[0].verdict == "no results");
  CHECK(scan.runs[0].protocol == "quorum");
  CHECK(scan.runs[1].run_id == "20261122T110000");
  CHECK(scan.runs[1].verdict == "no results");
  CHECK(scan.runs[2].verdict == "valid");
  CHECK(scan.runs[2].has_report);
  CHECK_FALSE(scan.runs[1].has_report);
}

TEST_CASE("scan: a missing store is an empty list") {
  const StoreScan scan = scan_store(fs::temp_directory_path() / "faultline-no-such-store-for-sure");
  CHECK(scan.runs.empty());
  CHECK(scan.runs_found == 0);
}
