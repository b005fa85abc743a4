#include <filesystem>
#include <random>

#include <catch2/catch.hpp>

#include "run_store.h"

using namespace faultline;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() : path(fs::temp_directory_path() / ("faultline-store-test-" + std::to_string(std::random_device{}()))) {
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("a run directory is named by its start time and latest points at the newest") {
  TempDir store;
  const auto started = std::chrono::system_clock::from_time_t(1795000000);  // 2026-11-18T11:06:40Z
  auto first = create_run_directory(store.path, "paxos-register", started);
  REQUIRE(first);
  CHECK(first->filename() == "20261118T110640");
  CHECK(fs::is_directory(*first / "nodes"));
  auto second = create_run_directory(store.path, "paxos-register", started);
  REQUIRE(second);
  CHECK(second->filename() == "20261118T110640-2");
  CHECK(fs::read_symlink(store.path / "paxos-register" / "latest") == "20261118T110640-2");
  CHECK(fs::equivalent(store.path / "paxos-register" / "latest", *second));
}

TEST_CASE("a run name that is not a plain file name is refused") {
  TempDir store;
  auto made = create_run_directory(store.path, "../escape", std::chrono::system_clock::now());
  REQUIRE_FALSE(made);
  CHECK(made.error() == "the run name '../escape' must be a plain, non-empty file name");
}
