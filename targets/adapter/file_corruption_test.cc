// The corrupt nemesis's plans: what a plan comes to on a listing (pure), and doing it to files.
#include "file_corruption.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace faultline;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct TempDirectory {
  fs::path path;
  TempDirectory() {
    char pattern[] = "/tmp/faultline-corruption-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~TempDirectory() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("a corruption plan resolves to one non-empty file, picked by name order, and offsets inside it") {
  const std::vector<DataFile> files = {{"b.log", 100}, {"empty", 0}, {"a.log.durable-length", 16}};
  FileCorruption truncate{FileCorruption::Kind::truncate, 0.6, {}, 0.5};
  CHECK(resolve_corruption(truncate, files) == ResolvedCorruption{"b.log", 100, {}, 50});
  truncate.file = 0.1;
  truncate.keep = 0.999;
  CHECK(resolve_corruption(truncate, files) == ResolvedCorruption{"a.log.durable-length", 16, {}, 15});
  const FileCorruption flip{FileCorruption::Kind::bitflip, 0.9, {{0.0, 1}, {0.999, 7}}, 0};
  CHECK(resolve_corruption(flip, files) == ResolvedCorruption{"b.log", 100, {{0, 1}, {99, 7}}, std::nullopt});
  CHECK_FALSE(resolve_corruption(flip, {{"empty", 0}}));
  CHECK(resolved_corruption_value(*resolve_corruption(flip, files)) ==
        nlohmann::json::parse(R"({"path": "b.log", "bytes": 100, "flipped": [[0, 1], [99, 7]]})"));
}

TEST_CASE("a corruption plan's value round-trips and bad values are refused") {
  const FileCorruption flip{FileCorruption::Kind::bitflip, 0.25, {{0.5, 2}}, 0};
  CHECK(file_corruption_of(file_corruption_value(flip)) == flip);
  const FileCorruption truncate{FileCorruption::Kind::truncate, 0.25, {}, 0.5};
  CHECK(file_corruption_of(file_corruption_value(truncate)) == truncate);
  for (const char* bad : {R"({"file": 0.2})", R"({"file": 0.2, "truncate": 1})", R"({"file": -1, "truncate": 0.5})",
                          R"({"file": 0.2, "bitflip": []})", R"({"file": 0.2, "bitflip": [[0.5, 8]]})",
                          R"({"file": 0.2, "bitflip": [[0.5, 1]], "truncate": 0.5})", "[0.2]"})
    CHECK_FALSE(file_corruption_of(nlohmann::json::parse(bad)).has_value());
}

TEST_CASE("corrupt_directory flips the bits or cuts the file it says, and nothing else") {
  TempDirectory dir;
  { std::ofstream(dir.path / "a.log", std::ios::binary) << std::string(64, 'x'); }
  { std::ofstream(dir.path / "b.log", std::ios::binary) << std::string(32, 'y'); }
  SECTION("bitflip") {
    const FileCorruption flip{FileCorruption::Kind::bitflip, 0.0, {{0.5, 0}, {0.0, 6}}, 0};
    const auto done = corrupt_directory(dir.path, flip);
    REQUIRE(done.has_value());
    CHECK((*done)["path"] == "a.log");
    std::string expected(64, 'x');
    expected[32] = static_cast<char>('x' ^ 1);
    expected[0] = static_cast<char>('x' ^ 64);
    CHECK(read_file(dir.path / "a.log") == expected);
    CHECK(read_file(dir.path / "b.log") == std::string(32, 'y'));
  }
  SECTION("truncate") {
    const FileCorruption truncate{FileCorruption::Kind::truncate, 0.75, {}, 0.25};
    const auto done = corrupt_directory(dir.path, truncate);
    REQUIRE(done.has_value());
    CHECK(*done == nlohmann::json::parse(R"({"path": "b.log", "bytes": 32, "truncated_to": 8})"));
    CHECK(read_file(dir.path / "b.log") == std::string(8, 'y'));
    CHECK(read_file(dir.path / "a.log") == std::string(64, 'x'));
  }
  SECTION("an empty directory: nothing to do") {
    fs::remove(dir.path / "a.log");
    fs::remove(dir.path / "b.log");
    CHECK(corrupt_directory(dir.path, FileCorruption{}) == nlohmann::json{{"files", 0}});
  }
}
