// What the adapter's process tests share: where faultline-node is, and a temporary directory
// that is removed with everything in it.
#pragma once

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace faultline::testing {

// $FAULTLINE_BIN/faultline-node (ctest sets it), else ../bin/faultline-node next to this test.
inline std::filesystem::path node_binary() {
  if (const char* bin = std::getenv("FAULTLINE_BIN"); bin != nullptr && *bin != '\0')
    return std::filesystem::path(bin) / "faultline-node";
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path() / "bin" / "faultline-node";
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "faultline-adapter-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Whether a process with this id exists (a zombie counts; ours are reaped).
inline bool process_exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

}  // namespace faultline::testing
