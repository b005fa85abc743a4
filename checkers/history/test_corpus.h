// Where the tests find the reference histories: $FAULTLINE_CORPUS (ctest sets it), else
// ../shared/corpus from the working directory. The corpus is read in place, never copied.
#pragma once

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "skip_test.h"  // tests/

namespace faultline::test {

inline std::filesystem::path corpus_dir() {
  const char* from_environment = std::getenv("FAULTLINE_CORPUS");
  return from_environment != nullptr && *from_environment != '\0' ? std::filesystem::path(from_environment)
                                                                   : std::filesystem::path("../shared/corpus");
}

// One folder of the corpus; a missing folder fails the test with a message saying where it looked.
inline std::filesystem::path corpus_folder(const std::string& name) {
  const std::filesystem::path folder = corpus_dir() / name;
  INFO("corpus folder " << folder << " (FAULTLINE_CORPUS, else ../shared/corpus from the working directory)");
  REQUIRE(std::filesystem::is_directory(folder));
  return folder;
}

// The same for a test that reads only this folder: when it is missing the test is skipped
// (ctest says so), never passed.
inline std::filesystem::path corpus_folder_or_skip(const std::string& name) {
  const std::filesystem::path folder = corpus_dir() / name;
  if (!std::filesystem::is_directory(folder))
    skip_test("corpus folder " + folder.string() + " not found (set FAULTLINE_CORPUS, or keep ../shared/corpus)");
  return folder;
}

inline std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace faultline::test
