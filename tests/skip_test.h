// A test that cannot run here (no root, no Chromium, no etcd) ends its test process with
// skipped_exit_code, which ctest reports as skipped (SKIP_RETURN_CODE, set for every test by
// faultline_test in CMakeLists.txt), never as passed. catch_discover_tests runs each case in a
// process of its own, so one case skipping does not hide the others.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace faultline {

inline constexpr int skipped_exit_code = 4;

[[noreturn]] inline void skip_test(const std::string& reason) {
  std::printf("SKIPPED: %s\n", reason.c_str());
  std::fflush(stdout);
  std::_Exit(skipped_exit_code);
}

}  // namespace faultline
